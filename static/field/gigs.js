/* Linju field app: signing gig workers in (零工签到) at a booth or a station without signal. The
   rules apart from the page, tested on their own (node --test linju/field/tests/js/): which places
   take sign-ins, whether an ID number is whole (its check digit, as the server checks it), the
   reference a sign-in keeps (a UUID: sent twice, kept once) and the record the phone keeps. */
(function (scope) {
  "use strict";

  var Records = scope.LinjuRecords || (typeof require === "function" ? require("./records.js") : null);

  /* GB 11643's check character: ISO 7064 MOD 11-2 over the first 17 digits */
  var WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  var CHECK = "10X98765432";

  function normalize(raw) { return String(raw || "").replace(/\s+/g, "").toUpperCase(); }

  /* "" when the number is whole; else what is wrong: "id_length" or "id_check_digit" */
  function idNumberProblem(raw) {
    var number = normalize(raw);
    if (!/^\d{17}[\dX]$/.test(number)) return "id_length";
    var sum = 0;
    for (var i = 0; i < 17; i++) sum += Number(number[i]) * WEIGHTS[i];
    return CHECK[sum % 11] === number[17] ? "" : "id_check_digit";
  }

  /* the places a worker signs in at: markets (their booths) and stations, not villages */
  function signInPlaces(places) {
    return (places || []).filter(function (p) { return /^(market|point):/.test(p.value); });
  }

  /* a version-4 UUID from 16 random bytes (`fill` puts them in, as crypto.getRandomValues does) */
  function uuid(fill) {
    var bytes = fill(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  /* the last four characters, all the lists on the phone show of the number */
  function lastFour(raw) { return "…" + normalize(raw).slice(-4); }

  /* the record of one sign-in: its reference is its key, the moment it was taken goes with it */
  function signInRecord(spec) {
    return Records.newRecord({
      kind: "gig_sign_in",
      key: spec.key,
      url: spec.url,
      body: { place: spec.place.value, id_number: normalize(spec.idNumber) },
      label: spec.label,
      reference: spec.reference,
      moment: spec.moment,
    });
  }

  /* the sign-ins this phone took today at a place (waiting, refused or sent) */
  function takenToday(records, placeValue, today) {
    return records.filter(function (r) {
      return r.kind === "gig_sign_in" && r.place === placeValue && r.taken_at.slice(0, 10) === today;
    });
  }

  var api = {
    normalize: normalize, idNumberProblem: idNumberProblem, signInPlaces: signInPlaces, uuid: uuid,
    lastFour: lastFour, signInRecord: signInRecord, takenToday: takenToday,
  };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else scope.LinjuGigs = api;
})(typeof self !== "undefined" ? self : this);
