/* Linju field app: the day's data and every request taken are kept on the phone (IndexedDB), and
   sent with their idempotency keys when there is signal. A record leaves the queue only in the same
   transaction that stores the server's answer beside it. */
(function () {
  "use strict";

  var root = document.getElementById("field");
  var CACHE = "linju-field-shell";
  var DAY = 86400000;
  var TZ = "Asia/Shanghai";

  /* ---- working days, counted as the server counts them (linju/workdays/selectors.py) ---- */

  function parse(iso) { var p = iso.split("-"); return new Date(Date.UTC(+p[0], +p[1] - 1, +p[2])); }
  function iso(date) { return date.toISOString().slice(0, 10); }
  function next(isoDay) { return iso(new Date(parse(isoDay).getTime() + DAY)); }

  function dayInfo(cal, isoDay) {
    var year = +isoDay.slice(0, 4);
    var estimated = cal.known_years.indexOf(year) < 0 || isoDay > cal.to;
    var kind = cal.exceptions[isoDay];
    var weekday = parse(isoDay).getUTCDay();
    var working = kind ? kind === "workday" : weekday !== 0 && weekday !== 6;
    return { working: working, estimated: estimated };
  }

  function addWorkingDays(cal, startIso, count) {
    var estimated = cal.known_years.indexOf(+startIso.slice(0, 4)) < 0;
    var day = startIso;
    var remaining = count;
    while (remaining > 0) {
      day = next(day);
      var info = dayInfo(cal, day);
      estimated = estimated || info.estimated;
      if (info.working) remaining -= 1;
    }
    return { date: day, estimated: estimated };
  }

  function localToday(moment) {
    return new Intl.DateTimeFormat("en-CA", { timeZone: TZ }).format(moment || new Date());
  }

  window.LinjuField = { addWorkingDays: addWorkingDays, dayInfo: dayInfo, localToday: localToday };
  if (!root) return;

  /* ---- storage ---- */

  var dbPromise = LinjuQueue.open();
  var bundle = null;
  var Form = window.LinjuForm;
  var strings = JSON.parse(document.getElementById("field-strings").textContent);

  /* a string of the page's catalogue (the user's language), its %(name)s filled in */
  function t(name, values) { return Form.interpolate(strings[name] || name, values); }

  function $(id) { return document.getElementById(id); }
  function text(el, value) { el.textContent = value; return el; }
  /* dates, times, numbers and provisional numbers are never broken across two lines */
  var UNBROKEN = /(\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2})?|QJ-[\d-]+|[A-Z\u5f85]-[0-9A-Z]{6}|1\d{10}|0\d{2,3}-\d{7,8})/;
  function write(el, line) {
    line.split(UNBROKEN).forEach(function (part, n) {
      if (!part) return;
      if (n % 2) { var span = document.createElement("span"); span.className = "nowrap"; span.textContent = part; el.appendChild(span); }
      else el.appendChild(document.createTextNode(part));
    });
    return el;
  }
  function li(content) {
    var item = document.createElement("li");
    item.appendChild(write(document.createElement("span"), content));  // one piece in the list's row
    return item;
  }
  function key() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "k" + Date.now().toString(36) + Math.random().toString(36).slice(2);
  }
  /* the number a record is known by until the server gives its own */
  function provisional(recordKey) { return t("provisional", { key: recordKey.slice(0, 6).toUpperCase() }); }
  function csrf() {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : root.dataset.csrf;
  }

  var IDLE = 8 * 3600 * 1000;

  /* a phone passed to someone else keeps nothing of the last cadre's; after 8 hours unused, the
     day's data and the sent records go (what is still unsent stays, to be sent by the same cadre) */
  async function ownedByThisCadre() {
    var db = await dbPromise;
    var owner = await db.get("meta", "owner");
    var last = await db.get("meta", "last_used");
    var user = root.dataset.user;
    if (owner && owner !== user) {
      await Promise.all(["meta", "queue", "sent"].map(function (s) { return db.clear(s); }));
    } else if (last && Date.now() - last > IDLE) {
      await Promise.all([db.clear("meta"), db.clear("sent")]);
    }
    await db.put("meta", user, "owner");
    await db.put("meta", Date.now(), "last_used");
  }

  async function touch() { var db = await dbPromise; await db.put("meta", Date.now(), "last_used"); }

  /* logging out wipes the phone (the server's Clear-Site-Data): say so when something is unsent */
  function guardLogOut() {
    var form = document.querySelector("form[action$='/accounts/logout/']");
    if (!form) return;
    form.addEventListener("submit", function (event) {
      var waiting = +$("pending").textContent;
      if (waiting > 0 && !window.confirm(t("confirm_sign_out", { count: waiting }))) {
        event.preventDefault();
      }
    });
  }

  async function loadBundle(fromNetwork) {
    var db = await dbPromise;
    if (fromNetwork && navigator.onLine) {
      try {
        var response = await fetch(root.dataset.bundleUrl, { credentials: "same-origin" });
        if (response.ok) {
          bundle = await response.json();
          await db.put("meta", bundle, "bundle");
        }
      } catch (e) { /* no signal: the kept bundle serves */ }
    }
    if (!bundle) bundle = await db.get("meta", "bundle");
    draw();
  }

  async function cacheShell() {
    if (!("caches" in window) || !navigator.onLine) return;
    var assets = root.dataset.assets.split(" ").concat([location.pathname]);
    try { var cache = await caches.open(CACHE); await cache.addAll(assets); } catch (e) { /* next time */ }
  }

  /* ---- the form ---- */

  function option(select, value, label) {
    var o = document.createElement("option"); o.value = value; o.textContent = label; select.appendChild(o);
  }

  function drawForm() {
    var place = $("f-place"), item = $("f-item"), village = $("f-village"), visited = $("v-village");
    [place, item, village, visited].forEach(function (s) { s.textContent = ""; });
    bundle.places.forEach(function (p) { option(place, p.value + "|" + p.channel, p.name); });
    place.value = Form.rememberedPlace(
      remembered, localToday(), bundle.places.map(function (p) { return p.value + "|" + p.channel; }));
    drawItems();
    var known = $("f-known");
    known.textContent = "";
    option(known, "", "—");
    (bundle.residents || []).forEach(function (r) { option(known, String(r.id), r.name + " " + r.id_number); });
    bundle.places.filter(function (p) { return p.value.indexOf("village:") === 0; })
      .forEach(function (p) { option(village, p.value.slice(8), p.name); option(visited, p.value.slice(8), p.name); });
    drawItem();
  }

  /* the items the chosen place takes, as intake will (the server's rule, carried in the bundle), each
     saying whether it is finished here or sent to the district the same day; the item stays chosen
     while the new place takes it */
  function drawItems() {
    var select = $("f-item"), keep = select.value;
    var value = $("f-place").value.split("|")[0];
    var place = bundle.places.find(function (p) { return p.value === value; });
    select.textContent = "";
    Form.itemsAt(bundle.items, place).forEach(function (entry) {
      option(select, entry.item.code, entry.item.name + " · " + t(entry.mode === "finish" ? "finished_here" : "sent_same_day"));
    });
    if (keep && Array.prototype.some.call(select.options, function (o) { return o.value === keep; })) select.value = keep;
  }

  /* the place (and its channel) chosen on this phone today: the next person is taken there too. It is
     kept with the day's data, so it goes with it (signing out, another cadre, 8 hours unused) */
  var remembered = null;

  async function loadPlace() {
    var db = await dbPromise;
    remembered = (await db.get("meta", "place")) || null;
  }

  async function keepPlace() {
    remembered = Form.placeToRemember($("f-place").value, localToday());
    var db = await dbPromise;
    await db.put("meta", remembered, "place");
  }

  function chosenItem() {
    var code = $("f-item").value;
    return bundle.items.filter(function (i) { return i.code === code; })[0];
  }

  function drawItem() {
    var item = chosenItem();
    var box = $("f-materials");
    while (box.children.length > 1) box.removeChild(box.lastChild);
    if (!item) return;
    item.materials.forEach(function (m, n) {
      var row = document.createElement("div");
      row.className = "material";
      var name = document.createElement("span");
      name.className = "material-name"; name.textContent = m.name;
      row.appendChild(name);
      var received = mark(row, "material", m.name, "f-m" + n, t("handed_in"));
      var missing = mark(row, "missing", m.name, "f-x" + n, t("missing"));
      // a paper is handed in or missing, never both
      received.addEventListener("change", function () { if (received.checked) missing.checked = false; drawPromise(); });
      missing.addEventListener("change", function () { if (missing.checked) received.checked = false; drawPromise(); });
      // the phone's camera, behind a button in the user's words (the browser's own says "Choose File")
      var shutter = document.createElement("label");
      shutter.className = "mark camera";
      var camera = document.createElement("input");
      camera.type = "file"; camera.accept = "image/*"; camera.setAttribute("capture", "environment");
      camera.className = "photo"; camera.dataset.material = m.name; camera.id = "f-p" + n;
      camera.setAttribute("aria-label", t("photograph", { material: m.name }));
      var says = document.createElement("span");
      says.textContent = t("take_photo");
      camera.addEventListener("change", function () {
        says.textContent = camera.files.length ? t("photo_taken") : t("take_photo");
        if (camera.files.length) { received.checked = true; missing.checked = false; drawPromise(); }
      });
      shutter.appendChild(camera); shutter.appendChild(says);
      row.appendChild(shutter);
      box.appendChild(row);
    });
    drawPromise();
  }

  function mark(row, name, value, id, label) {
    var wrap = document.createElement("label");
    wrap.className = "mark";
    var box = document.createElement("input");
    box.type = "checkbox"; box.name = name; box.value = value; box.id = id;
    wrap.appendChild(box); wrap.appendChild(document.createTextNode(" " + label));
    row.appendChild(wrap);
    return box;
  }

  /* each material's row: its name, its two marks and its camera */
  function materialRows() {
    return Array.prototype.map.call(document.querySelectorAll("#f-materials .material"), function (row) {
      return {
        name: row.querySelector("input[name=material]").value,
        received: row.querySelector("input[name=material]"),
        missing: row.querySelector("input[name=missing]"),
        photo: row.querySelector("input.photo"),
      };
    });
  }

  function marks() {
    return Form.materialMarks(materialRows().map(function (m) {
      return { name: m.name, received: m.received.checked, missing: m.missing.checked };
    }));
  }

  /* what is promised, as the receipt will say it: a date, "done on the spot", or, while a paper is
     missing (the clock waits), the working days counted once it is brought */
  function promiseText(days, date, estimated, paused) {
    if (!days) return t("on_the_spot");
    if (paused) return t("promise_paused", { days: days });
    return t("promise_by", { date: date }) + (estimated ? t("estimated") : "");
  }

  function drawPromise() {
    var item = chosenItem();
    var line = $("f-promise");
    line.textContent = "";
    if (!item) return;
    var promise = addWorkingDays(bundle.calendar, localToday(), item.time_limit_days);
    write(line, promiseText(item.time_limit_days, promise.date, promise.estimated, marks().missing.length > 0));
  }

  /* the person's fields, and only those, emptied for the next person (the place and item stay) */
  function clearPerson() {
    var fields = {};
    Form.PERSON_FIELDS.concat(["f-agent-texts", "f-consult", "f-texts"]).forEach(function (id) { fields[id] = $(id); });
    fields.materials = materialRows();
    Form.clearPerson(fields);
    $("f-agent").open = false;
    $("f-error").hidden = true;
    drawPromise();
  }

  function nextPerson() {
    clearPerson();
    $("receipt").hidden = true;
    shown = null;
    $("intake").scrollIntoView({ block: "start" });
  }

  /* a photo of a paper, made small on the phone before it is kept: long side 1600 px, JPEG ~200 KB */
  async function compress(file) {
    var bitmap = await createImageBitmap(file);
    var scale = Math.min(1, 1600 / Math.max(bitmap.width, bitmap.height));
    var canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    var quality = 0.8, blob;
    do {
      blob = await new Promise(function (done) { canvas.toBlob(done, "image/jpeg", quality); });
      quality -= 0.15;
    } while (blob.size > 250 * 1024 && quality > 0.2);
    return blob;
  }

  /* a home visit's result, kept like a request and sent with the same care */
  async function completeTask(task, result) {
    result = result.trim();
    if (!result) return;
    var recordKey = key();
    var record = {
      key: recordKey,
      kind: "task",
      task: task.id,
      url: "/api/v1/outreach/home-tasks/" + task.id + "/complete",
      body: { result: result, done_on: localToday() },
      label: t("task_label", { kind: task.kind, resident: task.resident }),
      reference: provisional(recordKey),
      promised: "",
      taken_at: new Date().toISOString(),
      photos: [],
      state: "queued",
    };
    var db = await dbPromise;
    await db.put("queue", record);
    await draw();
    sendLater();
    sync();
  }

  /* 串门: a village visit, kept and sent like everything else */
  async function recordVisit(event) {
    event.preventDefault();
    var households = Math.max(0, Math.min(1000, parseInt($("v-households").value, 10) || 0));
    var recordKey = key();
    var village = $("v-village");
    var record = {
      key: recordKey,
      kind: "visit",
      url: "/api/v1/outreach/visits",
      body: {
        village_code: village.value,
        date: localToday(),
        households_met: households,
        notes: $("v-notes").value.trim(),
        idempotency_key: "field-" + recordKey,
      },
      label: t("visit_label", { village: village.options[village.selectedIndex].textContent }),
      reference: provisional(recordKey),
      promised: "",
      taken_at: new Date().toISOString(),
      photos: [],
      state: "queued",
    };
    var db = await dbPromise;
    await db.put("queue", record);
    $("visit").reset();
    touch();
    await draw();
    sendLater();
    sync();
  }

  function todaysBooth(place) {
    var today = localToday();
    return bundle.booths.filter(function (b) { return b.market === place && b.date === today; })[0];
  }

  async function consult(item, place, moment) {
    var error = $("f-error");
    var booth = todaysBooth(place);
    if (!booth) {
      error.hidden = false;
      text(error, t("no_booth_today"));
      return;
    }
    var recordKey = key();
    var record = {
      key: recordKey,
      kind: "consultation",
      url: "/api/v1/outreach/booths/" + booth.id + "/consultations",
      body: { item_code: item.code, note: $("f-note").value.trim(), idempotency_key: "field-" + recordKey, taken_at: moment.toISOString() },
      label: t("consult_label", { item: item.name }),
      reference: provisional(recordKey),
      promised: "",
      taken_at: moment.toISOString(),
      photos: [],
      state: "queued",
    };
    var db = await dbPromise;
    await db.put("queue", record);
    clearPerson();
    showReceipt(record);
    await draw();
    sendLater();
    sync();
  }

  async function take(event) {
    event.preventDefault();
    var item = chosenItem();
    var moment = new Date();
    var parts = $("f-place").value.split("|"), where = parts[0].split(":"), channel = parts[1];
    var error = $("f-error");
    error.hidden = true;
    if (item && $("f-consult").checked) return consult(item, parts[0], moment);
    var knownId = $("f-known").value;
    var known = (bundle.residents || []).filter(function (r) { return String(r.id) === knownId; })[0];
    var name = known ? known.name : $("f-name").value.trim(), idNumber = $("f-id").value.trim().toUpperCase();
    var agent = {
      name: $("f-agent-name").value.trim(),
      id_number: $("f-agent-id").value.trim().toUpperCase(),
      relation: $("f-agent-relation").value,
      phone: $("f-agent-phone").value.trim(),
      texts: $("f-agent-texts").checked,
    };
    var hasAgent = Boolean(agent.name || agent.id_number || agent.phone || agent.relation);
    var marked = marks(), received = marked.received, missing = marked.missing;
    var reason = $("f-reason").value.trim();
    var problem = Form.intakeProblem({
      item: item, known: known, name: name, idNumber: idNumber, agent: agent,
      received: received, missing: missing, reason: reason,
    });
    if (problem) {
      error.hidden = false;
      text(error, t(problem));
      if (problem === "agent" || problem === "agent_phone") $("f-agent").open = true;
      error.scrollIntoView({ block: "center" });
      return;
    }
    var photos = [];
    var cameras = document.querySelectorAll("#f-materials input.photo");
    for (var c = 0; c < cameras.length; c++) {
      if (!cameras[c].files.length) continue;
      try {
        photos.push({ key: "photo-" + key(), material: cameras[c].dataset.material, blob: await compress(cameras[c].files[0]) });
      } catch (e) {
        error.hidden = false;
        text(error, t("photo_unreadable", { material: cameras[c].dataset.material }));
        return;
      }
    }
    var recordKey = key();
    var body = {
      item_code: item.code,
      channel: channel,
      person: known ? null : { name: name, id_number: idNumber, phone: $("f-phone").value.trim(), village_code: $("f-village").value },
      applicant_id: known ? known.id : null,
      service_point_code: where[0] === "point" ? where[1] : "",
      market_code: where[0] === "market" ? where[1] : "",
      village_code: where[0] === "village" ? where[1] : "",
      description: $("f-note").value.trim(),
      materials_received: received,
      materials_missing: missing,
      no_materials_reason: received.length || missing.length ? "" : reason,
      agent: hasAgent ? agent : null,
      texts_to_applicant: $("f-texts").checked,
      idempotency_key: "field-" + recordKey,
      taken_at: moment.toISOString(),
    };
    var promise = addWorkingDays(bundle.calendar, localToday(moment), item.time_limit_days);
    var record = {
      key: recordKey,
      url: root.dataset.casesUrl,
      body: body,
      label: item.name + " · " + name.slice(0, 1) + "**",
      reference: provisional(recordKey),
      days: item.time_limit_days,
      promised: item.time_limit_days && !missing.length ? promise.date : "",
      estimated: promise.estimated,
      missing: missing,
      agent: hasAgent ? agent.name.slice(0, 1) + "**" : "",
      taken_at: body.taken_at,
      photos: photos,
      state: "queued",
    };
    var db = await dbPromise;
    await db.put("queue", record);
    touch();
    // no whole ID number stays in the form once the record is kept; the place and item stay
    clearPerson();
    showReceipt(record);
    await draw();
    sendLater();
    sync();
  }

  var shown = null;  // the key of the record whose receipt is on the screen

  function promised(record, answer) {
    var paused = answer ? answer.status === "suspended" : record.missing && record.missing.length > 0;
    var date = answer && answer.promised_date ? answer.promised_date : record.promised;
    return promiseText(record.days, date, !answer && record.estimated, paused);
  }

  function receiptLines(record, answer) {
    if (record.kind === "consultation") return [t("receipt_question", { reference: record.reference }), record.label];
    return [
      answer ? t("receipt_number", { number: answer.number }) : t("receipt_waiting", { reference: record.reference }),
      record.label,
      t("receipt_taken", { moment: Form.siteMoment(new Date(record.taken_at)) }),
      promised(record, answer),
      record.missing && record.missing.length ? t("receipt_missing", { missing: record.missing.join("、") }) : "",
      record.agent ? t("receipt_agent", { name: record.agent }) : "",
      !answer && record.photos && record.photos.length ? t("receipt_photos", { count: record.photos.length }) : "",
      answer ? "" : t("receipt_texts"),
    ];
  }

  function drawReceipt(lines) {
    var body = $("receipt-body");
    body.textContent = "";
    lines.filter(Boolean).forEach(function (line) { body.appendChild(write(document.createElement("p"), line)); });
  }

  /* the receipt where the cadre looks: at the top of the screen, the form (its place kept) below */
  function showReceipt(record) {
    shown = record.key;
    drawReceipt(receiptLines(record, null));
    var receipt = $("receipt");
    receipt.hidden = false;
    receipt.scrollIntoView({ block: "start" });
    receipt.focus({ preventScroll: true });
  }

  /* the server holds the case whose receipt is on the screen: its real number and promised date */
  function showSynced(record) { drawReceipt(receiptLines(record, record.answer)); }

  /* ---- sending ---- */

  var syncing = false;

  async function sync() {
    if (syncing || !navigator.onLine) return;
    syncing = true;
    try {
      await LinjuQueue.sendAll(csrf());
    } finally {
      syncing = false;
      await draw();
    }
  }

  /* ask the browser to send when the signal is back, even if the app is closed by then */
  async function sendLater() {
    var db = await dbPromise;
    await db.put("meta", csrf(), "csrf");
    if (!("serviceWorker" in navigator)) return;
    try {
      var registration = await navigator.serviceWorker.ready;
      if (registration.sync) await registration.sync.register(LinjuQueue.TAG);
    } catch (e) { /* no background sync here: the page sends when it is open */ }
  }

  async function discard(recordKey) {
    var db = await dbPromise;
    await db.delete("queue", recordKey);
    await draw();
  }

  /* the name typed is not the registry's for that ID number, and the person shows their card: send
     the request again, under the registered name, with the same key (nothing was saved the first time) */
  async function takeUnderRegisteredName(recordKey) {
    var db = await dbPromise;
    var record = await db.get("queue", recordKey);
    if (!record) return;
    record.body.registered_name = true;
    record.state = "queued";
    record.answer = null;
    await db.put("queue", record);
    await draw();
    await sync();
  }

  /* ---- drawing ---- */

  async function draw() {
    var db = await dbPromise;
    var queue = await db.getAll("queue");
    var sent = await db.getAll("sent");
    var waiting = queue.filter(function (r) { return r.state !== "conflict"; });
    var synced = shown && sent.find(function (r) { return r.key === shown && r.answer && r.answer.number; });
    if (synced) showSynced(synced);
    var conflicts = queue.filter(function (r) { return r.state === "conflict"; });
    // the server refused the request whose receipt is on the screen: the receipt says so, and why
    var refused = shown && conflicts.find(function (r) { return r.key === shown; });
    if (refused) drawReceipt([t("receipt_refused", { reference: refused.reference }), refused.label, refusal(refused.answer)]);
    text($("pending"), String(waiting.length));
    $("stale").hidden = !queue.some(function (r) { return Date.now() - Date.parse(r.taken_at) > DAY; });
    text($("net"), navigator.onLine ? t("signal") : t("no_signal"));
    if (bundle) {
      text($("data-date"), t("data_date", { date: bundle.date, version: bundle.version }));
      var list = $("today-list"); list.textContent = "";
      bundle.booths.forEach(function (b) { list.appendChild(li(t("booth_line", { date: b.date, name: b.name }))); });
      bundle.home_tasks.forEach(function (task) {
        var row = li(t("task_line", {
          due: task.due, kind: task.kind, resident: task.resident, id_number: task.id_number,
          village: task.village_name, address: task.address,
        }) + (task.item ? " · " + task.item : ""));
        row.dataset.task = task.id;
        var done = queue.concat(sent).some(function (r) { return r.task === task.id; });
        if (done) {
          row.appendChild(document.createTextNode(" · " + t("result_recorded")));
        } else {
          var result = document.createElement("input");
          result.maxLength = 2000; result.placeholder = t("result"); result.setAttribute("aria-label", t("result"));
          var button = document.createElement("button");
          button.type = "button"; button.textContent = t("done");
          button.addEventListener("click", function () { completeTask(task, result.value); });
          row.appendChild(document.createElement("br")); row.appendChild(result); row.appendChild(button);
        }
        list.appendChild(row);
      });
      if (!$("f-place").options.length) drawForm();
    }
    var ql = $("queue-list"); ql.textContent = "";
    waiting.forEach(function (r) { ql.appendChild(li(r.reference + " · " + r.label + promiseNote(r, null))); });
    var cl = $("conflict-list"); cl.textContent = "";
    conflicts.forEach(function (r) {
      // the server's own words, in the user's language, beside the request it refused
      var item = li(r.reference + " · " + r.label);
      var why = document.createElement("p");
      why.className = "error refusal";
      why.textContent = refusal(r.answer);
      item.appendChild(why);
      if (r.answer && r.answer.code === "name_differs" && r.body && r.body.person) {
        var take = document.createElement("button");
        take.type = "button"; take.textContent = t("take_registered_name");
        take.addEventListener("click", function () { takeUnderRegisteredName(r.key); });
        item.appendChild(take);
      }
      var drop = document.createElement("button");
      drop.type = "button"; drop.className = "secondary"; drop.textContent = t("discard");
      drop.addEventListener("click", function () { discard(r.key); });
      item.appendChild(drop);
      cl.appendChild(item);
    });
    var sl = $("sent-list"); sl.textContent = "";
    sent.sort(function (a, b) { return a.taken_at < b.taken_at ? 1 : -1; }).slice(0, 20).forEach(function (r) {
      var number = r.kind === "consultation" ? t("question_recorded") : r.kind === "task" ? t("task_recorded")
        : r.kind === "visit" ? t("visit_recorded")
        : r.answer && r.answer.number ? r.answer.number : "?";
      sl.appendChild(li(number + " · " + r.label + promiseNote(r, r.answer)));
    });
  }

  /* a request's promise in the lists (records of other kinds promise nothing) */
  function promiseNote(record, answer) {
    if (record.kind) return "";
    if (record.days === undefined) return record.promised ? " · " + t("promised", { date: record.promised }) : "";
    var date = answer && answer.promised_date ? answer.promised_date : record.promised;
    var paused = answer ? answer.status === "suspended" : record.missing && record.missing.length > 0;
    if (record.days && !paused) return " · " + t("promised", { date: date });
    return " · " + promiseText(record.days, date, false, paused);
  }

  /* what the server said when it refused a request (a wrong check digit, a name that is not the
     registry's), in the user's language; field by field when it listed several */
  function refusal(answer) {
    if (!answer) return t("not_accepted");
    var zh = document.documentElement.lang.indexOf("zh") === 0;
    var message = (zh ? answer.message_zh : answer.message_en) || answer.message;
    if (message) return message;
    if (Array.isArray(answer.detail)) return answer.detail.map(function (d) { return d.msg; }).join("; ");
    return t("not_accepted");
  }

  async function persist() {
    if (!(navigator.storage && navigator.storage.persist)) { text($("persist"), t("no_persist")); return; }
    var granted = await navigator.storage.persist();
    text($("persist"), granted ? t("persisted") : t("not_persisted"));
  }

  async function start() {
    guardLogOut();
    await ownedByThisCadre();
    await loadPlace();
    await loadBundle(true);
    persist();
    cacheShell();
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register(root.dataset.swUrl, { scope: "/field/" }).catch(function () {});
    }
    sync();
  }

  $("intake").addEventListener("submit", take);
  $("visit").addEventListener("submit", recordVisit);
  $("f-item").addEventListener("change", drawItem);
  $("f-place").addEventListener("change", keepPlace);
  $("f-place").addEventListener("change", function () { drawItems(); drawItem(); });
  $("next-person").addEventListener("click", nextPerson);
  $("f-next").addEventListener("click", nextPerson);
  $("send-now").addEventListener("click", sync);
  $("refresh").addEventListener("click", function () { loadBundle(true); });
  window.addEventListener("online", function () { draw(); sync(); });
  window.addEventListener("offline", draw);
  window.LinjuField.sync = sync;
  window.LinjuField.busy = function () { return syncing; };
  window.LinjuField.ready = start();
})();
