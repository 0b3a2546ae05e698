/* Linju field app: the offers (免申即享) of the villages the cadre goes to today and tomorrow, and the
   answers heard at a booth or a door. The rules apart from the page, so that they can be tested on
   their own (node --test linju/field/tests/js/): which way the answer was heard unless the cadre says,
   which offers a search finds, and what the phone already holds of an offer's answer. */
(function (scope) {
  "use strict";

  /* rows drawn at once: a few while nothing is typed (the form to take requests stays near the top
     of the page), more for a search; a search finds the others */
  var SHOWN = 5;
  var SHOWN_FOUND = 30;

  function shown(query) { return String(query || "").trim() ? SHOWN_FOUND : SHOWN; }

  /* the way the cadre hears answers today unless they choose: at the booth when they have one today */
  function defaultChannel(booths, today) {
    return (booths || []).some(function (b) { return b.date === today; }) ? "booth" : "visit";
  }

  /* the offers a search finds: by the person's name, the last digits of their number, the village
     or the item; every offer when nothing is typed */
  function find(offers, query) {
    var words = String(query || "").trim().toUpperCase().split(/\s+/).filter(Boolean);
    if (!words.length) return offers.slice();
    return offers.filter(function (o) {
      var haystack = [o.resident, o.village_name, o.item_name, o.item].join(" ").toUpperCase();
      return words.every(function (w) {
        return haystack.indexOf(w) >= 0 || (/^[\dX]{1,4}$/.test(w) && o.id_number.slice(-w.length) === w);
      });
    });
  }

  /* the newest record of the answer to one offer, among those kept (waiting, refused or sent) */
  function answerTo(offerId, records) {
    return records.filter(function (r) { return r.kind === "offer" && r.offer === offerId; })
      .sort(function (a, b) { return a.taken_at < b.taken_at ? 1 : a.taken_at > b.taken_at ? -1 : 0; })[0];
  }

  /* where an offer stands on this phone: "open" (no answer taken), "waiting" (taken, not sent yet),
     "refused" (the server did not take it: the cadre decides) or "sent", with the record */
  function standing(offerId, view) {
    var record = answerTo(offerId, view.queue.concat(view.sent));
    if (!record) return { state: "open", record: null };
    if (record.state === "conflict") return { state: "refused", record: record };
    if (record.state === "sent") return { state: "sent", record: record };
    return { state: "waiting", record: record };
  }

  /* the answers the cadre may tap for an offer: a help already asked for is not asked again */
  function answersFor(offer) {
    return offer.status === "help" ? ["yes", "no"] : ["yes", "no", "help"];
  }

  /* the rule's words in the page's language (Chinese unless the page is in another) */
  function wording(words, rule, lang) {
    var said = (words || {})[String(rule)];
    if (!said) return "";
    return String(lang || "").indexOf("zh") === 0 || !said.en ? said.zh : said.en;
  }

  var api = {
    SHOWN: SHOWN, SHOWN_FOUND: SHOWN_FOUND, shown: shown, defaultChannel: defaultChannel, find: find, answerTo: answerTo, standing: standing,
    answersFor: answersFor, wording: wording,
  };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else scope.LinjuOffers = api;
})(typeof self !== "undefined" ? self : this);
