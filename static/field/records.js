/* Linju field app: what the phone keeps for each thing taken (a case, a question at a booth, a home
   visit's result, a village visit, a resident's answer to an offer), built in one place so that
   every kind is queued, sent and shown the same way. The addresses come from the page (Django's
   URLs), never written here. */
(function (scope) {
  "use strict";

  /* the kinds of record; `keyed`: the server takes an idempotency key, so a retry gives the same row
     (completing a home task twice gives the same task, and its form takes no key; the same answer to
     an offer sent twice is recorded once and answered the same) */
  var KINDS = {
    case: { keyed: true },
    consultation: { keyed: true },
    visit: { keyed: true },
    task: { keyed: false },
    offer: { keyed: false },
    // a gig worker's sign-in: its key is its reference (a UUID), kept once however often it is sent
    gig_sign_in: { keyed: false },
  };
  var UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

  /* a resident's answers to an offer, and the ways a cadre hears one in the field */
  var OFFER_ANSWERS = ["yes", "no", "help"];
  var OFFER_CHANNELS = ["booth", "visit"];

  /* an address of the page's with its {names} filled in */
  function fillPath(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return values && name in values ? encodeURIComponent(String(values[name])) : whole;
    });
  }

  /* the one record builder: `spec` holds the kind, the key, where it goes and what it sends, the line
     it is listed under, its provisional number and when it was taken; a case adds what it promises
     (days, promised, estimated, missing), its agent's masked name, its photos and their address; an
     answer to an offer names the offer, and is one of the answers heard one of the field's ways */
  function newRecord(spec) {
    var kind = KINDS[spec.kind];
    if (!kind) throw new Error("unknown kind of record: " + spec.kind);
    if (spec.kind === "offer" && (OFFER_ANSWERS.indexOf(spec.body.answer) < 0 || OFFER_CHANNELS.indexOf(spec.body.channel) < 0)) {
      throw new Error("an offer is answered yes, no or help, at a booth or a visit");
    }
    if (spec.kind === "gig_sign_in" && !UUID.test(spec.key)) {
      throw new Error("a sign-in's key is its reference: a UUID");
    }
    var body = Object.assign({}, spec.body);
    if (kind.keyed) body.idempotency_key = "field-" + spec.key;
    if (spec.kind === "gig_sign_in") {
      body.client_ref = spec.key;
      body.signed_in_at = spec.moment.toISOString();  // the time it was taken, not the time it is sent
    }
    var record = {
      key: spec.key,
      kind: spec.kind,
      url: spec.url,
      body: body,
      label: spec.label,
      reference: spec.reference,
      promised: spec.promised || "",
      taken_at: spec.moment.toISOString(),
      photos: spec.photos || [],
      state: "queued",
    };
    if (spec.task !== undefined) record.task = spec.task;
    if (spec.kind === "gig_sign_in") record.place = spec.body.place;
    if (spec.kind === "offer") {
      record.offer = spec.offer;
      record.said = spec.body.answer;  // kept when the body goes, once sent
    }
    if (spec.kind === "case") {
      record.days = spec.days;
      record.estimated = Boolean(spec.estimated);
      record.missing = spec.missing || [];
      record.agent = spec.agent || "";
      record.photos_url = spec.photosUrl;
      // a bundle (一件事): every part with its own promise, for the receipt shown before the answer
      if (spec.parts) record.parts = spec.parts;
    }
    return record;
  }

  /* a record of a case (those kept before records had a kind are cases too) */
  function isCase(record) { return !record.kind || record.kind === "case"; }

  /* a name as the lists show it: its first character, the rest hidden */
  function masked(name) { return name ? name.slice(0, 1) + "**" : ""; }

  var api = {
    KINDS: KINDS, OFFER_ANSWERS: OFFER_ANSWERS, OFFER_CHANNELS: OFFER_CHANNELS,
    fillPath: fillPath, newRecord: newRecord, isCase: isCase, masked: masked,
  };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else scope.LinjuRecords = api;
})(typeof self !== "undefined" ? self : this);
