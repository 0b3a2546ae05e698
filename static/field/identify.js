/* Linju field app: how the person was identified, apart from the page so that it can be tested on
   its own (node --test linju/field/tests/js/). A card on the booth's reader or the e-card's code is
   checked by the server while there is signal (POST to the page's `identity_verify` address); the
   check's receipt goes with the request, never the code: the code is sent once, to be checked, and
   kept nowhere on the phone. With no signal, or no answer from the reader or the platform, the person
   is identified by hand, and the reason is asked. */
(function (scope) {
  "use strict";

  var METHODS = ["id_card_reader", "social_card", "ecard", "by_hand"];
  var DEVICES = ["id_card_reader", "social_card", "ecard"];

  function isDevice(method) { return DEVICES.indexOf(method) >= 0; }

  /* what the server is asked to check: the person chosen from the day's data, or the one typed */
  function checkBody(spec) {
    var body = { method: spec.method, terminal: spec.terminal || "", qr: spec.method === "ecard" ? spec.qr : "" };
    if (spec.knownId) body.applicant_id = spec.knownId;
    else body.person = { name: spec.name, id_number: spec.idNumber };
    return body;
  }

  /* what is wrong before anything is asked: "" when nothing; "qr" for an e-card with no code while
     there is signal to check it (`offline`: none, so the person is taken by hand) */
  function problemBefore(spec) {
    if (!spec.method) return "";
    if (METHODS.indexOf(spec.method) < 0) return "method";
    if (spec.method === "ecard" && !spec.offline && !String(spec.qr || "").trim()) return "qr";
    if (spec.method === "by_hand" && !String(spec.reason || "").trim()) return "reason";
    return "";
  }

  /* the check's answer, or {result: "offline"} when the server could not be asked: what is wrong
     with taking the request now ("" when nothing): "refused" (expired, not this person, no card),
     "reason" (no answer from the device, or no signal, and no reason written) */
  function problemAfter(answer, reason) {
    if (!answer) return "";
    if (answer.result === "valid") return "";
    if (answer.result === "unreachable" || answer.result === "offline") {
      return String(reason || "").trim() ? "" : "reason";
    }
    return "refused";
  }

  /* the request's `identification`: null when no method was chosen */
  function identification(spec) {
    if (!spec.method) return null;
    var terminal = spec.terminal || "", reason = String(spec.reason || "").trim();
    if (spec.method === "by_hand" || (spec.answer && spec.answer.result === "offline")) {
      return { method: "by_hand", terminal: terminal, reason: reason };
    }
    var part = { method: spec.method, receipt: spec.answer.receipt, terminal: terminal };
    if (spec.answer.result === "unreachable") part.reason = reason;
    return part;
  }

  var api = {
    METHODS: METHODS,
    isDevice: isDevice,
    checkBody: checkBody,
    problemBefore: problemBefore,
    problemAfter: problemAfter,
    identification: identification,
  };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else scope.LinjuIdentify = api;
})(typeof self !== "undefined" ? self : this);
