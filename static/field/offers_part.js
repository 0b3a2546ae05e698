/* Linju field app: the part of the page for the offers (免申即享) of the villages visited today and
   tomorrow. Drawing (the list, from the day's data and what the phone keeps) and actions (what a tap
   does: an answer kept like every other record, or taken back while it waits), in the app's own
   ways: app.js makes this part with its shared pieces (words, storage, the queue) and wires the
   page's events to it, with the rest, in `wire`. The rules apart from the page are offers.js's. */
(function (scope) {
  "use strict";

  function OffersPart(app) {
    var Offers = scope.LinjuOffers, Records = scope.LinjuRecords, Queue = scope.LinjuQueue;
    var $ = app.$, t = app.t, write = app.write;

    /* a resident's answers, as the cadre taps them and as the lists say them */
    var ANSWER_WORDS = {
      yes: gettext("Wants it"),
      no: gettext("Not wanted"),
      help: gettext("Wants a cadre to help"),
    };
    var heard = null;  // where the answers are heard, once the cadre has said (booth, visit)

    function day() { return app.bundle() || {}; }

    /* where the answers are heard: as the cadre said, or at today's booth if they have one */
    function channel() { return heard || Offers.defaultChannel(day().booths, app.today()); }

    /* ---- drawing ---- */

    /* the offers a search finds (a few while nothing is typed), each with its answers to tap, or
       what the phone holds of the answer taken */
    function draw(bundle, view) {
      var offers = bundle.offers || [];
      $("o-none").hidden = offers.length > 0;
      $("o-tools").hidden = !offers.length;
      var chosen = channel();
      Array.prototype.forEach.call(document.querySelectorAll("input[name=o-channel]"), function (r) { r.checked = r.value === chosen; });
      var query = $("o-find").value, found = Offers.find(offers, query), room = Offers.shown(query);
      $("o-more").textContent = found.length > room
        ? t("%(shown)s of %(count)s shown: type a name or the last digits of the ID number to find the others.", { shown: room, count: found.length })
        : found.length ? "" : t("No offer found.");
      var list = $("offer-list");
      list.textContent = "";
      found.slice(0, room).forEach(function (offer) { list.appendChild(row(offer, Offers.standing(offer.id, view))); });
    }

    function row(offer, standing) {
      var item = document.createElement("li");
      item.className = "offer"; item.dataset.offer = offer.id;
      var who = note("", "who");
      var name = document.createElement("strong"); name.textContent = offer.resident;
      who.appendChild(name);
      write(who, " " + offer.id_number + " · " + offer.village_name);
      item.appendChild(who);
      var words = Offers.wording(day().offer_words, offer.rule, document.documentElement.lang);
      item.appendChild(note([offer.item_name, words].filter(Boolean).join(" · "), "what"));
      if (offer.status === "help") item.appendChild(note(t("They asked for a cadre to come."), "muted"));
      var record = standing.record;
      if (standing.state === "open") {
        var taps = document.createElement("div");
        taps.className = "taps";
        Offers.answersFor(offer).forEach(function (answer) {
          taps.appendChild(app.button(ANSWER_WORDS[answer], { action: "answer", offer: offer.id, answer: answer }, answer === "yes" ? "" : "secondary"));
        });
        item.appendChild(taps);
      } else if (standing.state === "waiting") {
        item.appendChild(note(t("Recorded: %(answer)s · waiting to be sent", { answer: ANSWER_WORDS[record.said] }), "said"));
        if (record.said === "yes") item.appendChild(note(t("Sent by itself when there is signal; the case number comes by text message."), "muted"));
        item.appendChild(app.button(t("Take back"), { action: "take-back", key: record.key }, "secondary"));
      } else if (standing.state === "refused") {
        item.appendChild(note(t("Not accepted by the server: see “Needs your decision”"), "error"));
      } else {
        item.appendChild(note(sent(record), "said"));
      }
      return item;
    }

    /* an answer the server holds: the case it made and its promised date, or the answer recorded */
    function sent(record) {
      var answer = record.answer || {};
      if (answer.case_number) {
        return t("Case number %(number)s (sent)", { number: answer.case_number })
          + (answer.promised_date ? " · " + t("promised %(date)s", { date: answer.promised_date }) : "");
      }
      return t("Recorded: %(answer)s · sent", { answer: ANSWER_WORDS[record.said] || "" });
    }

    function note(line, className) {
      var p = document.createElement("p");
      p.className = className;
      return write(p, line);
    }

    /* ---- actions ---- */

    /* an answer with one tap: kept, then sent like everything else (the same answer sent twice is
       recorded once, so a resend after a lost reply is safe) */
    async function answer(offer, said) {
      if (Offers.standing(offer.id, await app.kept()).state !== "open") return;  // a second tap
      var recordKey = app.key();
      await app.keep(Records.newRecord({
        kind: "offer",
        key: recordKey,
        offer: offer.id,
        url: Records.fillPath(app.urls.offer_answer, { offer: offer.id }),
        body: { answer: said, channel: channel() },
        label: t("Offer · %(item)s · %(resident)s · %(answer)s", {
          item: offer.item_name, resident: Records.masked(offer.resident), answer: ANSWER_WORDS[said],
        }),
        reference: app.provisional(recordKey),
        moment: new Date(),
      }));
    }

    /* an answer tapped by mistake, taken back while it still waits */
    async function takeBack(recordKey) {
      await Queue.takeBack(recordKey);
      await app.draw();
    }

    /* ---- what the page's events ask (wired in app.js) ---- */

    function onClick(event) {
      var tapped = event.target.closest("button[data-action]");
      if (!tapped) return;
      if (tapped.dataset.action === "take-back") { takeBack(tapped.dataset.key); return; }
      var offer = (day().offers || []).find(function (o) { return String(o.id) === tapped.dataset.offer; });
      if (offer) answer(offer, tapped.dataset.answer);
    }

    function onChannelChange(event) {
      if (event.target.name === "o-channel") heard = event.target.value;
    }

    async function onFind() { if (app.bundle()) draw(app.bundle(), await app.kept()); }

    return { draw: draw, sent: sent, onClick: onClick, onChannelChange: onChannelChange, onFind: onFind };
  }

  scope.LinjuOffersPart = OffersPart;
})(typeof self !== "undefined" ? self : this);
