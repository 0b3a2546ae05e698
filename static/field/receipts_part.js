/* Linju field app: the receipts' words (what is promised, a receipt's lines, the server's refusal in
   the user's language) and the lists drawn from what the phone keeps (today's booths and home visits,
   what waits, what the server refused, what was sent). app.js makes this part with its shared
   pieces, as it does the offers' and the bundles'. */
(function (scope) {
  "use strict";

  function ReceiptsPart(app) {
    var $ = app.$, t = app.t, tn = app.tn, li = app.li, button = app.button, Form = app.Form, Records = app.Records;

    /* what is promised, as the receipt will say it: a date, "done on the spot", or, while a paper is
       missing (the clock waits), the working days counted once it is brought */
    function promiseText(days, date, estimated, paused) {
      if (!days) return t("done on the spot");
      if (paused) return t("Answer within %(days)s working days once the missing materials are brought", { days: days });
      return t("Answer promised by %(date)s", { date: date }) + (estimated ? t("(estimated)") : "");
    }

    function promised(record, answer) {
      var paused = answer ? answer.status === "suspended" : record.missing && record.missing.length > 0;
      var date = answer && answer.promised_date ? answer.promised_date : record.promised;
      return promiseText(record.days, date, !answer && record.estimated, paused);
    }

    /* a receipt's lines: before the server answers, and once it has */
    function receiptLines(record, answer) {
      if (record.kind === "consultation") {
        return [t("Question recorded, to be sent · %(reference)s", { reference: record.reference }), record.label];
      }
      return [
        answer ? t("Case number %(number)s (sent)", { number: answer.number })
          : t("Number to come once sent · provisional number %(reference)s", { reference: record.reference }),
        record.label,
        t("Taken at %(moment)s", { moment: Form.siteMoment(new Date(record.taken_at)) }),
        record.parts ? "" : promised(record, answer),
      ].concat((record.parts || []).map(function (part, n) {
        var answered = answer && answer.parts && answer.parts[n];
        return app.bundles().line(answered ? Object.assign({}, part, { office: answered.office }) : part, answered || null);
      }), [
        record.missing && record.missing.length ? t("Missing: %(missing)s", { missing: record.missing.join(t(", ")) }) : "",
        record.agent ? t("Agent: %(name)s", { name: record.agent }) : "",
        !answer && record.photos && record.photos.length
          ? tn("%(count)s photo of a material, sent with the request.", "%(count)s photos of materials, sent with the request.", record.photos.length)
          : "",
        answer ? "" : t("Sent by itself when there is signal; the case number comes by text message."),
      ]);
    }

    /* today's booths and home visits; a visit not yet done has its result field and button */
    function drawToday(bundle, view) {
      $("data-date").textContent = t("Data on this phone: %(date)s · version %(version)s", { date: bundle.date, version: bundle.version });
      var list = $("today-list");
      list.textContent = "";
      bundle.booths.forEach(function (b) { list.appendChild(li(t("%(date)s booth · %(name)s", { date: b.date, name: b.name }))); });
      var done = view.queue.concat(view.sent);
      bundle.home_tasks.forEach(function (task) {
        var row = li(t("%(due)s home visit · %(kind)s · %(resident)s %(id_number)s · %(village)s %(address)s", {
          due: task.due, kind: task.kind, resident: task.resident, id_number: task.id_number,
          village: task.village_name, address: task.address,
        }) + (task.item ? " · " + task.item : ""));
        row.dataset.task = task.id;
        if (done.some(function (r) { return r.task === task.id; })) {
          row.appendChild(document.createTextNode(" · " + t("result recorded")));
        } else {
          var result = document.createElement("input");
          result.maxLength = 2000; result.placeholder = t("Result"); result.setAttribute("aria-label", t("Result"));
          row.appendChild(document.createElement("br")); row.appendChild(result);
          row.appendChild(button(t("Done"), { action: "complete-task", task: task.id }));
        }
        list.appendChild(row);
      });
    }

    function drawWaiting(view) {
      var list = $("queue-list");
      list.textContent = "";
      view.waiting.forEach(function (r) { list.appendChild(li(r.reference + " · " + r.label + promiseNote(r, null))); });
    }

    /* what the server refused, with its own words, in the user's language, beside each request */
    function drawConflicts(view) {
      var list = $("conflict-list");
      list.textContent = "";
      view.conflicts.forEach(function (r) {
        var item = li(r.reference + " · " + r.label);
        var why = document.createElement("p");
        why.className = "error refusal";
        why.textContent = refusal(r.answer);
        item.appendChild(why);
        if (r.answer && r.answer.code === "name_differs" && r.body && r.body.person) {
          item.appendChild(button(t("The ID card is theirs: take it under the registered name"), { action: "registered-name", key: r.key }));
        }
        item.appendChild(button(t("Dealt with, delete"), { action: "discard", key: r.key }, "secondary"));
        list.appendChild(item);
      });
    }

    function drawSent(view) {
      var list = $("sent-list");
      list.textContent = "";
      var said = { consultation: t("Question recorded"), task: t("Home visit recorded"), visit: t("Visit recorded") };
      view.sent.slice().sort(function (a, b) { return a.taken_at < b.taken_at ? 1 : -1; }).slice(0, 20).forEach(function (r) {
        if (r.kind === "offer") { list.appendChild(li(r.label + " · " + app.offers().sent(r))); return; }
        if (r.kind === "gig_sign_in") {
          list.appendChild(li(t("Signed in: %(name)s", { name: (r.answer && r.answer.name) || "" }) + " · " + r.label));
          return;
        }
        var number = Records.isCase(r) ? (r.answer && r.answer.number ? r.answer.number : "?") : said[r.kind];
        list.appendChild(li(number + " · " + r.label + promiseNote(r, r.answer)));
      });
    }

    /* a request's promise in the lists (records of other kinds promise nothing) */
    function promiseNote(record, answer) {
      if (!Records.isCase(record)) return "";
      if (record.days === undefined) return record.promised ? " · " + t("promised %(date)s", { date: record.promised }) : "";
      var date = answer && answer.promised_date ? answer.promised_date : record.promised;
      var paused = answer ? answer.status === "suspended" : record.missing && record.missing.length > 0;
      if (record.days && !paused) return " · " + t("promised %(date)s", { date: date });
      return " · " + promiseText(record.days, date, false, paused);
    }

    /* what the server said when it refused a request (a wrong check digit, a name that is not the
       registry's), in the user's language; field by field when it listed several */
    function refusal(answer) {
      if (!answer) return t("The server did not accept it");
      var zh = document.documentElement.lang.indexOf("zh") === 0;
      var message = (zh ? answer.message_zh : answer.message_en) || answer.message;
      if (message) return message;
      if (Array.isArray(answer.detail)) return answer.detail.map(function (d) { return d.msg; }).join("; ");
      return t("The server did not accept it");
    }

    return {
      promiseText: promiseText, promised: promised, receiptLines: receiptLines, promiseNote: promiseNote,
      refusal: refusal, drawToday: drawToday, drawWaiting: drawWaiting, drawConflicts: drawConflicts,
      drawSent: drawSent,
    };
  }

  scope.LinjuReceiptsPart = ReceiptsPart;
})(typeof window !== "undefined" ? window : globalThis);
