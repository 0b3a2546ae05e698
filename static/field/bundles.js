/* Linju field app: bundles (一件事) in the intake form, apart from the page so that they can be tested
   on their own (node --test linju/field/tests/js/). A bundle is chosen in the item's list, under its
   own heading, where the chosen place takes its lead part (the server's rule, carried in the day's
   data as an item's); its papers are the one merged list; it is queued and sent as one request with
   `bundle` in place of `item_code`, and its receipt lists every part with its own date and office. */
(function (scope) {
  "use strict";

  var PREFIX = "bundle:";

  function isBundleChoice(value) { return String(value || "").indexOf(PREFIX) === 0; }

  /* the bundles the chosen place takes (where it takes the lead part), in the day's order */
  function bundlesAt(bundles, place) {
    if (!place) return [];
    var kind = String(place.value).split(":")[0];
    return (bundles || []).filter(function (b) {
      var byKind = b.at && b.at[place.town];
      return Boolean(byKind && byKind[kind]);
    });
  }

  /* a bundle as the form's chosen "item": its code (prefixed, so that no item's code is met), its
     name, its one list of papers, and the bundle itself */
  function asChoice(bundle) {
    return {
      code: PREFIX + bundle.code,
      name: bundle.name,
      materials: bundle.materials,
      time_limit_days: Math.max.apply(null, bundle.parts.map(function (p) { return p.days; }).concat([0])),
      bundle: bundle,
    };
  }

  /* the chosen bundle of the day's data, by the form's value, or undefined */
  function chosen(bundles, value) {
    if (!isBundleChoice(value)) return undefined;
    var code = value.slice(PREFIX.length);
    var bundle = (bundles || []).filter(function (b) { return b.code === code; })[0];
    return bundle ? asChoice(bundle) : undefined;
  }

  /* each part's promise as the receipt will say it, worked out on the phone: its own working days
     from today (`add` is the working-day counter, given the calendar), or paused when a paper its
     item needs is missing; `itemMode` says whether the place finishes its item or sends it on */
  function partPromises(bundle, missing, add, itemMode) {
    return bundle.parts.map(function (part) {
      var lacking = bundle.materials.filter(function (m) {
        return missing.indexOf(m.name) >= 0 && m.items.indexOf(part.item) >= 0;
      }).map(function (m) { return m.name; });
      var promise = add(part.days);
      return {
        item: part.item,
        name: part.name,
        partner: part.partner,
        mode: part.partner ? "partner" : itemMode(part.item) || "forward",
        days: part.days,
        missing: lacking,
        promised: lacking.length ? "" : promise.date,
        estimated: Boolean(promise.estimated),
      };
    });
  }

  /* the form's and the receipt's bundle lines, made by app.js with its shared pieces (words, the
     page, the working-day counter, the day's data) */
  function part(app) {
    var t = app.t;

    /* the bundles the chosen place takes, under their own heading in the item's list */
    function options(select, place) {
      var taken = bundlesAt((app.bundle() || {}).bundles, place);
      if (!taken.length) return;
      var group = document.createElement("optgroup");
      group.label = t("One application for a life event");
      taken.forEach(function (b) {
        app.option(group, PREFIX + b.code, b.name + " · " + app.tn("%(count)s part", "%(count)s parts", b.parts.length));
      });
      select.appendChild(group);
    }

    /* a bundle's parts, each with its own promise, as worked out on the phone at `moment` */
    function promised(bundle, missing, moment) {
      var day = app.bundle(), value = app.$("f-place").value.split("|")[0];
      var where = day.places.filter(function (p) { return p.value === value; })[0];
      return partPromises(bundle, missing, function (days) {
        return app.Workdays.addWorkingDays(day.calendar, app.Workdays.localToday(moment), days);
      }, function (code) {
        var item = day.items.filter(function (i) { return i.code === code; })[0];
        return item && app.Form.takenAt(item, where);
      });
    }

    /* a part's line on the receipt: its number once answered, its item, who finishes it, its promise */
    function line(part, answered) {
      var office = part.office || part.partner
        || (part.mode === "finish" ? t("finished here") : t("sent to the district the same day"));
      var promise = answered
        ? app.promiseText(part.days, answered.promised_date, false, answered.status === "suspended")
        : app.promiseText(part.days, part.promised, part.estimated, part.missing.length > 0);
      return (answered ? answered.number + " · " : "· ") + part.name + " · " + office + " · " + promise;
    }

    function drawLines(element, parts) {
      parts.forEach(function (p) {
        element.appendChild(app.write(document.createElement("span"), line(p, null)));
        element.appendChild(document.createElement("br"));
      });
    }

    return { options: options, promised: promised, line: line, drawLines: drawLines };
  }

  var api = {
    part: part,
    PREFIX: PREFIX,
    isBundleChoice: isBundleChoice,
    bundlesAt: bundlesAt,
    asChoice: asChoice,
    chosen: chosen,
    partPromises: partPromises,
  };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else scope.LinjuBundles = api;
})(typeof self !== "undefined" ? self : this);
