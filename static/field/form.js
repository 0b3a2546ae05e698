/* Linju field app: the intake form's rules, apart from the page so that they can be tested on their
   own (node --test linju/field/tests/js/): which place the form opens on, what "下一位" clears, what
   a request must hold before it is kept, and how times are written (as the site writes them). */
(function (scope) {
  "use strict";

  var TZ = "Asia/Shanghai";

  /* the fields that belong to one person; the place, the channel and the item stay for the next */
  var PERSON_FIELDS = [
    "f-known", "f-name", "f-id", "f-phone", "f-note", "f-reason", "f-qr", "f-id-reason",
    "f-agent-name", "f-agent-id", "f-agent-relation", "f-agent-phone",
  ];
  var PERSON_BOXES = ["f-agent-texts", "f-agent-authorise", "f-consult"];

  /* the place the form opens on: the one chosen today on this phone, while it is still offered */
  function rememberedPlace(saved, today, offered) {
    if (!saved || saved.day !== today) return offered.length ? offered[0] : "";
    return offered.indexOf(saved.value) >= 0 ? saved.value : offered.length ? offered[0] : "";
  }

  function placeToRemember(value, today) { return { value: value, day: today }; }

  /* "下一位": empties the person's fields (and their material marks and photos), nothing else */
  function clearPerson(form) {
    PERSON_FIELDS.forEach(function (id) {
      var field = form[id];
      if (field) field.value = "";
    });
    PERSON_BOXES.forEach(function (id) { if (form[id]) form[id].checked = false; });
    if (form["f-texts"]) form["f-texts"].checked = true;
    (form.materials || []).forEach(function (m) {
      m.received.checked = false;
      m.missing.checked = false;
      if (m.photo) {
        m.photo.value = "";
        // its button says "photograph" again (the page listens on the materials' box, so it bubbles)
        if (m.photo.dispatchEvent) m.photo.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  }

  /* per material: handed in, missing (缺), or neither (not needed for this person) */
  function materialMarks(materials) {
    var received = [], missing = [];
    materials.forEach(function (m) {
      if (m.received) received.push(m.name);
      else if (m.missing) missing.push(m.name);
    });
    return { received: received, missing: missing };
  }

  /* what is wrong with a request before it is kept, as a key of the page's strings, or "" */
  function intakeProblem(request) {
    if (!request.item) return "choose_item";
    if (!request.name || (!request.known && !/^\d{17}[\dX]$/.test(request.idNumber))) return "person";
    var agent = request.agent;
    if (agent && (agent.name || agent.id_number || agent.phone || agent.relation)) {
      if (!agent.name || !/^\d{17}[\dX]$/.test(agent.id_number) || !agent.relation) return "agent";
      if (agent.texts && !agent.phone) return "agent_phone";
    }
    if (!request.received.length && !request.missing.length && !request.reason) return "no_material";
    return "";
  }

  /* a moment as the site writes it: Y-m-d H:i, in Chongqing's time */
  function siteMoment(moment) {
    var parts = {};
    new Intl.DateTimeFormat("en-GB", {
      timeZone: TZ, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
      hourCycle: "h23",
    }).formatToParts(moment).forEach(function (p) { parts[p.type] = p.value; });
    return parts.year + "-" + parts.month + "-" + parts.day + " " + parts.hour + ":" + parts.minute;
  }

  /* a string of the page's catalogue with its %(name)s filled in */
  function interpolate(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (whole, name) {
      return values && name in values ? String(values[name]) : whole;
    });
  }

  /* what the chosen place does with an item today, by the server's rule of acceptance (the bundle's
     `at`, by town and kind of place): "finish", "forward", or undefined when it does not take it */
  function takenAt(item, place) {
    if (!place || !item.at) return undefined;
    var byKind = item.at[place.town];
    return byKind ? byKind[String(place.value).split(":")[0]] : undefined;
  }

  /* the working days the receipt promises for an item at the place: what the server's rule of
     acceptance promises where it is sent on to the district, else the item's time limit */
  function promisedDays(item, place) {
    return takenAt(item, place) === "forward" ? item.days_forwarded : item.time_limit_days;
  }

  /* the items the place takes, each with what it does with it, in the bundle's order */
  function itemsAt(items, place) {
    return items.map(function (item) { return { item: item, mode: takenAt(item, place) }; })
      .filter(function (entry) { return entry.mode; });
  }

  var api = {
    PERSON_FIELDS: PERSON_FIELDS,
    takenAt: takenAt,
    promisedDays: promisedDays,
    itemsAt: itemsAt,
    rememberedPlace: rememberedPlace,
    placeToRemember: placeToRemember,
    clearPerson: clearPerson,
    materialMarks: materialMarks,
    intakeProblem: intakeProblem,
    siteMoment: siteMoment,
    interpolate: interpolate,
  };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else scope.LinjuForm = api;
})(typeof self !== "undefined" ? self : this);
