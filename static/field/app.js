/* Linju field app: the day's data and every request taken are kept on the phone (IndexedDB), and
   sent with their idempotency keys when there is signal. A record leaves the queue only in the same
   transaction that stores the server's answer beside it (static/field/queue.js).

   The page gives the app its addresses (the JSON block "field-urls", from Django's URLs) and its
   words (Django's JavaScript catalogue: gettext, ngettext, interpolate). The code below is in four
   parts: storage, drawing (functions that write the page from what is kept), actions (what a tap
   does), and the wiring of the page's events to the actions, done once in `wire`. */
(function () {
  "use strict";

  var root = document.getElementById("field");
  if (!root) return;

  var Workdays = window.LinjuWorkdays, Form = window.LinjuForm, Identify = window.LinjuIdentify;
  var Records = window.LinjuRecords, Queue = window.LinjuQueue, Bundles = window.LinjuBundles, Gigs = window.LinjuGigs;
  var URLS = JSON.parse(document.getElementById("field-urls").textContent);
  var CACHE = "linju-field-shell";
  var IDLE = 8 * 3600 * 1000;
  var localToday = Workdays.localToday;

  /* ---- words ---- */

  /* a string of the catalogue, in the user's language, its %(name)s filled in */
  function t(msgid, values) { return values ? interpolate(gettext(msgid), values, true) : gettext(msgid); }
  function tn(singular, plural, count) { return interpolate(ngettext(singular, plural, count), { count: count }, true); }

  /* what is wrong with a request (the keys of LinjuForm.intakeProblem), in words */
  var PROBLEMS = {
    choose_item: gettext("Choose the service item."),
    person: gettext("Write the name and the 18-digit ID number."),
    agent: gettext("For the agent, write the name, the 18-digit ID number and how they are related."),
    agent_phone: gettext("Texts to the agent need the agent's phone."),
    no_material: gettext("Mark at least one material as handed in or missing, or write why there is none."),
  };

  /* what is wrong with the identification (the keys of LinjuIdentify's problems), in words */
  var ID_PROBLEMS = {
    method: gettext("Choose how the person was identified."),
    qr: gettext("Scan the e-card's QR code."),
    reason: gettext("No answer from the reader or the card platform, or no signal: identify the person by hand and write how and why."),
  };
  var BY_HAND_REASON = gettext("Write how the person was identified by hand, and why no card or code was checked.");

  /* the number a record is known by until the server gives its own */
  function provisional(recordKey) { return t("P-%(key)s", { key: recordKey.slice(0, 6).toUpperCase() }); }

  /* dates, times, numbers and provisional numbers are never broken across two lines */
  var UNBROKEN = new RegExp(
    "(\\d{4}-\\d{2}-\\d{2}(?: \\d{2}:\\d{2})?|QJ-[\\d-]+|" +
    provisional("").replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "[0-9A-Z]{6}|1\\d{10}|0\\d{2,3}-\\d{7,8})"
  );

  /* ---- what the page holds besides the store ---- */

  var state = {
    bundle: null,      // the day's data
    remembered: null,  // the place chosen on this phone today
    shown: null,       // the key of the record whose receipt is on the screen
    syncing: false,
  };

  function $(id) { return document.getElementById(id); }
  function key() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "k" + Date.now().toString(36) + Math.random().toString(36).slice(2);
  }
  function csrf() {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : root.dataset.csrf;
  }

  /* the offers' part of the page (static/field/offers_part.js), made with the app's shared pieces */
  var offers = window.LinjuOffersPart({
    $: $, t: t, write: write, button: button, urls: URLS, today: localToday,
    bundle: function () { return state.bundle; },
    kept: kept, keep: keep, key: key, provisional: provisional, draw: draw,
  });

  /* the bundles' (一件事) part of the form and receipt (static/field/bundles.js), likewise */
  var bundles = Bundles.part({
    t: t, tn: tn, write: write, option: option, Form: Form, Workdays: Workdays,
    promiseText: function () { return receipts.promiseText.apply(null, arguments); },
    $: $, bundle: function () { return state.bundle; },
  });

  /* the receipts' words and the lists of today, waiting and refused (static/field/receipts_part.js) */
  var receipts = window.LinjuReceiptsPart({
    $: $, t: t, tn: tn, li: li, button: button, Form: Form, Records: Records,
    bundles: function () { return bundles; }, offers: function () { return offers; },
  });
  var promiseText = receipts.promiseText, receiptLines = receipts.receiptLines;
  var refusal = receipts.refusal;
  var drawToday = receipts.drawToday, drawWaiting = receipts.drawWaiting, drawConflicts = receipts.drawConflicts;
  var drawSent = receipts.drawSent;

  /* ---- storage ---- */

  var dbPromise = Queue.open();

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

  async function loadBundle(fromNetwork) {
    var db = await dbPromise;
    if (fromNetwork && navigator.onLine) {
      try {
        var response = await fetch(URLS.bundle, { credentials: "same-origin" });
        if (response.ok) {
          state.bundle = await response.json();
          await db.put("meta", state.bundle, "bundle");
        }
      } catch (e) { /* no signal: the kept bundle serves */ }
    }
    if (!state.bundle) state.bundle = await db.get("meta", "bundle");
    await draw();
  }

  /* the page, its scripts and its catalogue, kept for the days without signal */
  async function cacheShell() {
    if (!("caches" in window) || !navigator.onLine) return;
    var assets = root.dataset.assets.split(" ").concat([location.pathname]);
    try { var cache = await caches.open(CACHE); await cache.addAll(assets); } catch (e) { /* next time */ }
  }

  /* the place (and its channel) chosen on this phone today: the next person is taken there too. It is
     kept with the day's data, so it goes with it (signing out, another cadre, 8 hours unused) */
  async function loadPlace() {
    var db = await dbPromise;
    state.remembered = (await db.get("meta", "place")) || null;
  }

  async function keepPlace() {
    state.remembered = Form.placeToRemember($("f-place").value, localToday());
    var db = await dbPromise;
    await db.put("meta", state.remembered, "place");
  }

  /* what the lists are drawn from: the queue (waiting and refused) and the records sent */
  async function kept() {
    var db = await dbPromise;
    var queue = await db.getAll("queue");
    var sent = await db.getAll("sent");
    return {
      queue: queue,
      waiting: queue.filter(function (r) { return r.state !== "conflict"; }),
      conflicts: queue.filter(function (r) { return r.state === "conflict"; }),
      sent: sent,
    };
  }

  /* ---- drawing: each function writes a part of the page from what it is given ---- */

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
  function button(label, data, className) {
    var b = document.createElement("button");
    b.type = "button"; b.textContent = label;
    if (className) b.className = className;
    Object.keys(data).forEach(function (name) { b.dataset[name] = data[name]; });
    return b;
  }
  function option(select, value, label) {
    var o = document.createElement("option"); o.value = value; o.textContent = label; select.appendChild(o);
  }
  function showError(message) {
    var error = $("f-error");
    error.hidden = false;
    error.textContent = message;
  }

  function placeValue(p) { return p.value + "|" + p.channel; }

  /* the form's lists, from the day's data: places, people of the villages visited, villages */
  function drawForm(bundle) {
    var place = $("f-place"), village = $("f-village"), visited = $("v-village"), known = $("f-known");
    [place, village, visited, known].forEach(function (s) { s.textContent = ""; });
    bundle.places.forEach(function (p) { option(place, placeValue(p), p.name); });
    place.value = Form.rememberedPlace(state.remembered, localToday(), bundle.places.map(placeValue));
    option(known, "", "—");
    (bundle.residents || []).forEach(function (r) { option(known, String(r.id), r.name + " " + r.id_number); });
    bundle.places.filter(function (p) { return p.value.indexOf("village:") === 0; })
      .forEach(function (p) { option(village, p.value.slice(8), p.name); option(visited, p.value.slice(8), p.name); });
    drawItems(bundle);
  }

  /* the items the chosen place takes, as intake will (the server's rule, carried in the bundle), each
     saying whether it is finished here or sent to the district the same day; the item stays chosen
     while the new place takes it; then the chosen item's materials */
  function chosenPlace(bundle) {
    var value = $("f-place").value.split("|")[0];
    return bundle.places.find(function (p) { return p.value === value; });
  }

  function drawItems(bundle) {
    var select = $("f-item"), keep = select.value, place = chosenPlace(bundle);
    select.textContent = "";
    Form.itemsAt(bundle.items, place).forEach(function (entry) {
      var mode = entry.mode === "finish" ? t("finished here") : t("sent to the district the same day");
      option(select, entry.item.code, entry.item.name + " · " + mode);
    });
    bundles.options(select, place);  // 一件事: one request for several items, under its own heading
    if (keep && Array.prototype.some.call(select.options, function (o) { return o.value === keep; })) select.value = keep;
    drawMaterials(chosenItem());
  }

  /* each material of the item: its name, handed in, missing, and the phone's camera behind a button
     in the user's words (the browser's own says "Choose File") */
  function drawMaterials(item) {
    var box = $("f-materials");
    while (box.children.length > 1) box.removeChild(box.lastChild);
    (item ? item.materials : []).forEach(function (m, n) {
      var row = document.createElement("div");
      row.className = "material";
      var name = document.createElement("span");
      name.className = "material-name"; name.textContent = m.name;
      row.appendChild(name);
      row.appendChild(mark("material", m.name, "f-m" + n, t("handed in")));
      row.appendChild(mark("missing", m.name, "f-x" + n, t("missing")));
      var shutter = document.createElement("label");
      shutter.className = "mark camera";
      var camera = document.createElement("input");
      camera.type = "file"; camera.accept = "image/*"; camera.setAttribute("capture", "environment");
      camera.className = "photo"; camera.dataset.material = m.name; camera.id = "f-p" + n;
      camera.setAttribute("aria-label", t("Photograph: %(material)s", { material: m.name }));
      shutter.appendChild(camera); shutter.appendChild(document.createElement("span"));
      row.appendChild(shutter);
      box.appendChild(row);
      drawCamera(camera);
    });
    drawPromise();
  }

  function mark(name, value, id, label) {
    var wrap = document.createElement("label");
    wrap.className = "mark";
    var box = document.createElement("input");
    box.type = "checkbox"; box.name = name; box.value = value; box.id = id;
    wrap.appendChild(box); wrap.appendChild(document.createTextNode(" " + label));
    return wrap;
  }

  /* a camera's button says whether its photo is taken */
  function drawCamera(camera) {
    camera.nextSibling.textContent = camera.files && camera.files.length ? t("Photo taken") : t("Take a photo");
  }

  function drawPromise() {
    var item = chosenItem();
    var line = $("f-promise");
    line.textContent = "";
    if (!item) return;
    if (item.bundle) return bundles.drawLines(line, bundles.promised(item.bundle, marks().missing, new Date()));
    var days = chosenDays(item);
    var promise = Workdays.addWorkingDays(state.bundle.calendar, localToday(), days);
    write(line, promiseText(days, promise.date, promise.estimated, marks().missing.length > 0));
  }

  function drawReceipt(lines) {
    var body = $("receipt-body");
    body.textContent = "";
    lines.filter(Boolean).forEach(function (line) { body.appendChild(write(document.createElement("p"), line)); });
  }

  /* the receipt on the screen, once the server holds its case (its real number and promised date) or
     has refused it (the receipt says so, and why) */
  function drawShownReceipt(view) {
    if (!state.shown) return;
    var synced = view.sent.find(function (r) { return r.key === state.shown && r.answer && r.answer.number; });
    if (synced) drawReceipt(receiptLines(synced, synced.answer));
    var refused = view.conflicts.find(function (r) { return r.key === state.shown; });
    if (refused) {
      drawReceipt([
        t("Not accepted by the server · %(reference)s: see “Needs your decision”", { reference: refused.reference }),
        refused.label, refusal(refused.answer),
      ]);
    }
  }

  function drawStatus(view) {
    $("pending").textContent = String(view.waiting.length);
    $("stale").hidden = !view.queue.some(function (r) { return Date.now() - Date.parse(r.taken_at) > Workdays.DAY; });
    $("net").textContent = navigator.onLine ? t("Signal: records are sent at once.")
      : t("No signal: records stay on this phone and are sent when there is signal.");
  }

  /* the gig sign-in: the places that take it (once), and how many this phone signed in there today */
  function drawGigSignIn(bundle, view) {
    var select = $("g-place");
    if (!select.options.length) {
      Gigs.signInPlaces(bundle.places).forEach(function (p) { option(select, p.value, p.name); });
      var remembered = state.remembered && state.remembered.value ? state.remembered.value.split("|")[0] : "";
      if (Array.prototype.some.call(select.options, function (o) { return o.value === remembered; })) select.value = remembered;
    }
    var count = Gigs.takenToday(view.queue.concat(view.sent), select.value, localToday()).length;
    $("g-count").textContent = t("Signed in here today on this phone: %(count)s", { count: count });
  }

  /* the whole page from what is kept */
  async function draw() {
    var view = await kept();
    drawShownReceipt(view);
    drawStatus(view);
    if (state.bundle) {
      drawToday(state.bundle, view);
      offers.draw(state.bundle, view);
      drawGigSignIn(state.bundle, view);
      if (!$("f-place").options.length) drawForm(state.bundle);
    }
    drawWaiting(view);
    drawConflicts(view);
    drawSent(view);
  }

  /* ---- reading the form ---- */

  /* the working days the receipt promises for the chosen item at the chosen place (a bundle's own) */
  function chosenDays(item) {
    return item.bundle ? item.time_limit_days : Form.promisedDays(item, chosenPlace(state.bundle));
  }

  function chosenItem() {
    if (!state.bundle) return undefined;
    var code = $("f-item").value;
    if (Bundles.isBundleChoice(code)) return Bundles.chosen(state.bundle.bundles, code);
    return state.bundle.items.filter(function (i) { return i.code === code; })[0];
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

  function value(id) { return $(id).value.trim(); }

  /* ---- actions ---- */

  /* a gig worker signed in: kept on the phone with its reference and the moment, sent when there is
     signal (twice is once); the ID number is checked here first, as the server checks it */
  var GIG_PROBLEMS = {
    id_length: gettext("An ID number has 18 characters: 17 digits and a digit or X."),
    id_check_digit: gettext("The last character (check digit) does not match the others: one character is probably mistyped."),
  };

  async function signInGig(event) {
    event.preventDefault();
    var select = $("g-place"), number = Gigs.normalize($("g-id").value);
    var place = Gigs.signInPlaces(state.bundle ? state.bundle.places : []).find(function (p) { return p.value === select.value; });
    var problem = place ? Gigs.idNumberProblem(number) : "";
    $("g-error").hidden = !problem && Boolean(place);
    $("g-error").textContent = !place ? t("Choose where they sign in.") : problem ? GIG_PROBLEMS[problem] : "";
    $("g-done").hidden = true;
    if (!place || problem) return;
    var recordKey = Gigs.uuid(function (bytes) { return crypto.getRandomValues(bytes); });
    await keep(Gigs.signInRecord({
      key: recordKey,
      url: URLS.gig_sign_ins,
      place: place,
      idNumber: number,
      label: t("Sign-in · %(place)s · %(number)s", { place: place.name, number: Gigs.lastFour(number) }),
      reference: provisional(recordKey),
      moment: new Date(),
    }));
    $("g-id").value = "";
    $("g-done").textContent = t("Kept on this phone: %(number)s. It is sent when there is signal.", { number: Gigs.lastFour(number) });
    $("g-done").hidden = false;
    $("g-id").focus();
  }

  /* a record kept on the phone, then sent as soon as there is signal */
  async function keep(record) {
    var db = await dbPromise;
    await db.put("queue", record);
    touch();
    await draw();
    sendLater();
    sync();
  }

  /* the person's fields, and only those, emptied for the next person (the place and item stay) */
  function clearPerson() {
    var fields = {};
    Form.PERSON_FIELDS.concat(["f-agent-texts", "f-agent-authorise", "f-consult", "f-texts"]).forEach(function (id) { fields[id] = $(id); });
    fields.materials = materialRows();
    Form.clearPerson(fields);
    document.querySelectorAll("input[name=f-method]").forEach(function (r) { r.checked = false; });
    $("f-agent").open = false;
    $("f-error").hidden = true;
    drawPromise();
  }

  function nextPerson() {
    clearPerson();
    $("receipt").hidden = true;
    state.shown = null;
    $("intake").scrollIntoView({ block: "start" });
  }

  /* the receipt where the cadre looks: at the top of the screen, the form (its place kept) below */
  function showReceipt(record) {
    state.shown = record.key;
    drawReceipt(receiptLines(record, null));
    var receipt = $("receipt");
    receipt.hidden = false;
    receipt.scrollIntoView({ block: "start" });
    receipt.focus({ preventScroll: true });
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
    await keep(Records.newRecord({
      kind: "task",
      key: recordKey,
      task: task.id,
      url: Records.fillPath(URLS.task_complete, { task: task.id }),
      body: { result: result, done_on: localToday() },
      label: t("Home visit · %(kind)s · %(resident)s", { kind: task.kind, resident: task.resident }),
      reference: provisional(recordKey),
      moment: new Date(),
    }));
  }

  /* a village visit (串门), kept and sent like everything else */
  async function recordVisit(event) {
    event.preventDefault();
    var households = Math.max(0, Math.min(1000, parseInt($("v-households").value, 10) || 0));
    var village = $("v-village");
    var recordKey = key();
    var record = Records.newRecord({
      kind: "visit",
      key: recordKey,
      url: URLS.visits,
      body: { village_code: village.value, date: localToday(), households_met: households, notes: value("v-notes") },
      label: t("Village visit · %(village)s", { village: village.options[village.selectedIndex].textContent }),
      reference: provisional(recordKey),
      moment: new Date(),
    });
    $("visit").reset();
    await keep(record);
  }

  function todaysBooth(place) {
    var today = localToday();
    return state.bundle.booths.filter(function (b) { return b.market === place && b.date === today; })[0];
  }

  /* only a question at today's booth */
  async function consult(item, place, moment) {
    var booth = todaysBooth(place);
    if (!booth) {
      showError(t("No booth is planned here today, so a question alone cannot be recorded: choose today's booth."));
      return;
    }
    var recordKey = key();
    var record = Records.newRecord({
      kind: "consultation",
      key: recordKey,
      url: Records.fillPath(URLS.consultations, { booth: booth.id }),
      body: { item_code: item.code, note: value("f-note"), taken_at: moment.toISOString() },
      label: t("Question · %(item)s", { item: item.name }),
      reference: provisional(recordKey),
      moment: moment,
    });
    clearPerson();
    showReceipt(record);
    await keep(record);
  }

  /* the photos taken, each made small and given its own key; null when one cannot be read */
  async function takenPhotos() {
    var photos = [];
    var cameras = document.querySelectorAll("#f-materials input.photo");
    for (var c = 0; c < cameras.length; c++) {
      if (!cameras[c].files.length) continue;
      try {
        photos.push({ key: "photo-" + key(), material: cameras[c].dataset.material, blob: await compress(cameras[c].files[0]) });
      } catch (e) {
        showError(t("The photo cannot be read; take it again: %(material)s", { material: cameras[c].dataset.material }));
        return null;
      }
    }
    return photos;
  }

  function chosenMethod() {
    var chosen = document.querySelector("input[name=f-method]:checked");
    return chosen ? chosen.value : "";
  }

  /* a card or code checked by the server now; {result: "offline"} when it cannot be asked. The
     code goes in this one request and is emptied from the form: it is kept nowhere */
  async function checkIdentity(body) {
    $("f-qr").value = "";
    if (!navigator.onLine) return { result: "offline" };
    var response;
    try {
      response = await fetch(URLS.identity_verify, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
        body: JSON.stringify(body),
      });
    } catch (e) { return { result: "offline" }; }
    var answer;
    try { answer = await response.json(); } catch (e) { answer = null; }
    if (response.ok && answer) return answer;
    if (response.status >= 500 || !answer) return { result: "offline" };
    return { result: "refused", message: refusal(answer) };
  }

  /* how the person was identified, checked; the request's part, or undefined when it is refused
     (the words are on the screen) */
  async function identified(known, name, idNumber) {
    var method = chosenMethod(), reason = value("f-id-reason"), terminal = value("f-terminal");
    var before = Identify.problemBefore({ method: method, qr: value("f-qr"), reason: reason, offline: !navigator.onLine });
    if (before) { showError(before === "reason" ? BY_HAND_REASON : ID_PROBLEMS[before]); return undefined; }
    var answer = null;
    if (Identify.isDevice(method)) {
      answer = await checkIdentity(Identify.checkBody({
        method: method, terminal: terminal, qr: value("f-qr"), knownId: known ? known.id : null, name: name, idNumber: idNumber,
      }));
      var after = Identify.problemAfter(answer, reason);
      if (after) { showError(after === "refused" ? answer.message : ID_PROBLEMS.reason); return undefined; }
    }
    if (terminal) localStorage.setItem("linju-terminal", terminal);
    return Identify.identification({ method: method, terminal: terminal, reason: reason, answer: answer });
  }

  /* a request, taken: checked, its photos made small, kept with its promise */
  async function take(event) {
    event.preventDefault();
    var item = chosenItem();
    var moment = new Date();
    var parts = $("f-place").value.split("|"), where = parts[0].split(":"), channel = parts[1];
    $("f-error").hidden = true;
    if (item && $("f-consult").checked) return consult(item, parts[0], moment);
    var knownId = $("f-known").value;
    var known = (state.bundle.residents || []).filter(function (r) { return String(r.id) === knownId; })[0];
    var name = known ? known.name : value("f-name"), idNumber = value("f-id").toUpperCase();
    var agent = {
      name: value("f-agent-name"),
      id_number: value("f-agent-id").toUpperCase(),
      relation: $("f-agent-relation").value,
      phone: value("f-agent-phone"),
      texts: $("f-agent-texts").checked,
      // the person signs the authorisation (委托书) now, for this item: else one in force is needed
      authorise: $("f-agent-authorise").checked ? { all_items: false } : null,
    };
    var hasAgent = Boolean(agent.name || agent.id_number || agent.phone || agent.relation);
    var marked = marks(), received = marked.received, missing = marked.missing;
    var reason = value("f-reason");
    var problem = Form.intakeProblem({
      item: item, known: known, name: name, idNumber: idNumber, agent: agent,
      received: received, missing: missing, reason: reason,
    });
    if (problem) {
      showError(PROBLEMS[problem]);
      if (problem === "agent" || problem === "agent_phone") $("f-agent").open = true;
      $("f-error").scrollIntoView({ block: "center" });
      return;
    }
    var identification = await identified(known, name, idNumber);
    if (identification === undefined) { $("f-error").scrollIntoView({ block: "center" }); return; }
    var photos = await takenPhotos();
    if (!photos) return;
    var recordKey = key();
    var days = chosenDays(item);
    var promise = Workdays.addWorkingDays(state.bundle.calendar, localToday(moment), days);
    var record = Records.newRecord({
      kind: "case",
      key: recordKey,
      url: URLS.cases,
      photosUrl: URLS.case_photos,
      body: {
        item_code: item.bundle ? "" : item.code,
        bundle: item.bundle ? item.bundle.code : undefined,  // 一件事: one request for all its parts
        channel: channel,
        person: known ? null : { name: name, id_number: idNumber, phone: value("f-phone"), village_code: $("f-village").value },
        applicant_id: known ? known.id : null,
        service_point_code: where[0] === "point" ? where[1] : "",
        market_code: where[0] === "market" ? where[1] : "",
        village_code: where[0] === "village" ? where[1] : "",
        description: value("f-note"),
        materials_received: received,
        materials_missing: missing,
        no_materials_reason: received.length || missing.length ? "" : reason,
        agent: hasAgent ? agent : null,
        texts_to_applicant: $("f-texts").checked,
        identification: identification,
        taken_at: moment.toISOString(),
      },
      label: item.name + " · " + Records.masked(name),
      reference: provisional(recordKey),
      moment: moment,
      days: days,
      promised: days && !missing.length ? promise.date : "",
      estimated: promise.estimated,
      missing: missing,
      agent: hasAgent ? Records.masked(agent.name) : "",
      photos: photos,
      parts: item.bundle ? bundles.promised(item.bundle, missing, moment) : undefined,
    });
    // no whole ID number stays in the form once the record is kept; the place and item stay
    clearPerson();
    showReceipt(record);
    await keep(record);
  }

  async function sync() {
    if (state.syncing || !navigator.onLine) return;
    state.syncing = true;
    try {
      await Queue.sendAll(csrf());
    } finally {
      state.syncing = false;
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
      if (registration.sync) await registration.sync.register(Queue.TAG);
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

  async function persist() {
    var line = $("persist");
    if (!(navigator.storage && navigator.storage.persist)) { line.textContent = t("This browser cannot keep data for long."); return; }
    var granted = await navigator.storage.persist();
    line.textContent = granted ? t("The data on this phone is kept for long: the browser will not clear it.")
      : t("The browser did not agree to keep the data: add this app to the home screen.");
  }

  /* ---- wiring: the page's events to the actions, once ---- */

  /* a paper is handed in or missing, never both; a photo taken marks it handed in */
  function onMaterialChange(event) {
    var input = event.target, row = input.closest(".material");
    if (!row) return;
    var received = row.querySelector("input[name=material]"), missing = row.querySelector("input[name=missing]");
    if (input === received && received.checked) missing.checked = false;
    if (input === missing && missing.checked) received.checked = false;
    if (input.classList.contains("photo")) {
      drawCamera(input);
      if (input.files.length) { received.checked = true; missing.checked = false; }
    }
    drawPromise();
  }

  function onTodayClick(event) {
    var done = event.target.closest("button[data-action=complete-task]");
    if (!done) return;
    var task = state.bundle.home_tasks.find(function (h) { return String(h.id) === done.dataset.task; });
    if (task) completeTask(task, done.parentNode.querySelector("input").value);
  }

  function onConflictClick(event) {
    var chosen = event.target.closest("button[data-action]");
    if (!chosen) return;
    if (chosen.dataset.action === "discard") discard(chosen.dataset.key);
    else if (chosen.dataset.action === "registered-name") takeUnderRegisteredName(chosen.dataset.key);
  }

  /* logging out wipes the phone (the server's Clear-Site-Data): say so when something is unsent */
  function onSignOut(event) {
    var waiting = +$("pending").textContent;
    var question = tn(
      "%(count)s record has not been sent. Signing out deletes what this phone keeps: sign out anyway?",
      "%(count)s records have not been sent. Signing out deletes what this phone keeps: sign out anyway?",
      waiting
    );
    if (waiting > 0 && !window.confirm(question)) event.preventDefault();
  }

  function wire() {
    var signOut = document.querySelector("form[action='" + URLS.sign_out + "']");
    if (signOut) signOut.addEventListener("submit", onSignOut);
    $("intake").addEventListener("submit", take);
    $("f-terminal").value = localStorage.getItem("linju-terminal") || "";  // this phone's reader or scanner
    $("visit").addEventListener("submit", recordVisit);
    $("f-item").addEventListener("change", function () { drawMaterials(chosenItem()); });
    $("f-place").addEventListener("change", function () { keepPlace(); drawItems(state.bundle); });
    $("f-materials").addEventListener("change", onMaterialChange);
    $("today-list").addEventListener("click", onTodayClick);
    $("conflict-list").addEventListener("click", onConflictClick);
    $("offer-list").addEventListener("click", offers.onClick);
    $("o-channel").addEventListener("change", offers.onChannelChange);
    $("o-find").addEventListener("input", offers.onFind);
    $("gig").addEventListener("submit", signInGig);
    $("g-place").addEventListener("change", draw);
    $("next-person").addEventListener("click", nextPerson);
    $("f-next").addEventListener("click", nextPerson);
    $("send-now").addEventListener("click", sync);
    $("refresh").addEventListener("click", function () { loadBundle(true); });
    window.addEventListener("online", function () { draw(); sync(); });
    window.addEventListener("offline", draw);
  }

  async function start() {
    wire();
    await ownedByThisCadre();
    await loadPlace();
    await loadBundle(true);
    persist();
    cacheShell();
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register(root.dataset.swUrl, { scope: root.dataset.swScope }).catch(function () {});
    }
    sync();
  }

  window.LinjuField = {
    sync: sync,
    busy: function () { return state.syncing; },
    ready: start(),
  };
})();
