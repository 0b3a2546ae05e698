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

  function $(id) { return document.getElementById(id); }
  function text(el, value) { el.textContent = value; return el; }
  function li(content) { var item = document.createElement("li"); item.textContent = content; return item; }
  function key() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "k" + Date.now().toString(36) + Math.random().toString(36).slice(2);
  }
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
      if (waiting > 0 && !window.confirm("还有 " + waiting + " 条没有发送。退出会删除本机上的记录,确定退出吗?")) {
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
    bundle.items.forEach(function (i) { if (!i.hall_only) option(item, i.code, i.name); });
    var known = $("f-known");
    known.textContent = "";
    option(known, "", "—");
    (bundle.residents || []).forEach(function (r) { option(known, String(r.id), r.name + " " + r.id_number); });
    bundle.places.filter(function (p) { return p.value.indexOf("village:") === 0; })
      .forEach(function (p) { option(village, p.value.slice(8), p.name); option(visited, p.value.slice(8), p.name); });
    drawItem();
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
      var label = document.createElement("label");
      label.className = "check";
      var box2 = document.createElement("input");
      box2.type = "checkbox"; box2.name = "material"; box2.value = m.name; box2.id = "f-m" + n;
      label.appendChild(box2); label.appendChild(document.createTextNode(" " + m.name));
      box.appendChild(label);
      var camera = document.createElement("input");
      camera.type = "file"; camera.accept = "image/*"; camera.setAttribute("capture", "environment");
      camera.className = "photo"; camera.dataset.material = m.name; camera.id = "f-p" + n;
      camera.setAttribute("aria-label", "拍照:" + m.name);
      camera.addEventListener("change", function () { if (camera.files.length) box2.checked = true; });
      box.appendChild(camera);
    });
    var promise = addWorkingDays(bundle.calendar, localToday(), item.time_limit_days);
    text($("f-promise"), item.time_limit_days
      ? "承诺在 " + promise.date + (promise.estimated ? "(估算)" : "") + " 前答复"
      : "即办");
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
      label: "上门 · " + task.kind + " · " + task.resident,
      reference: "待-" + recordKey.slice(0, 6).toUpperCase(),
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
      label: "走访 · " + village.options[village.selectedIndex].textContent,
      reference: "待-" + recordKey.slice(0, 6).toUpperCase(),
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
      text(error, "今天这里没有安排赶场服务,不能只记咨询:请选今天的赶场点。");
      return;
    }
    var recordKey = key();
    var record = {
      key: recordKey,
      kind: "consultation",
      url: "/api/v1/outreach/booths/" + booth.id + "/consultations",
      body: { item_code: item.code, note: $("f-note").value.trim(), idempotency_key: "field-" + recordKey, taken_at: moment.toISOString() },
      label: "咨询 · " + item.name,
      reference: "待-" + recordKey.slice(0, 6).toUpperCase(),
      promised: "",
      taken_at: moment.toISOString(),
      photos: [],
      state: "queued",
    };
    var db = await dbPromise;
    await db.put("queue", record);
    $("intake").reset(); drawItem();
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
    if (!item || !name || (!known && idNumber.length !== 18)) {
      error.hidden = false;
      text(error, "请选好事项,填写姓名和18位身份证号。");
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
        text(error, "照片读不出来,请重拍:" + cameras[c].dataset.material);
        return;
      }
    }
    var received = Array.prototype.map.call(
      document.querySelectorAll("#f-materials input:checked"), function (b) { return b.value; });
    var missing = item.materials.map(function (m) { return m.name; })
      .filter(function (m) { return received.indexOf(m) < 0; });
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
      idempotency_key: "field-" + recordKey,
      taken_at: moment.toISOString(),
    };
    var promise = addWorkingDays(bundle.calendar, localToday(moment), item.time_limit_days);
    var record = {
      key: recordKey,
      url: root.dataset.casesUrl,
      body: body,
      label: item.name + " · " + name.slice(0, 1) + "**",
      reference: "待-" + recordKey.slice(0, 6).toUpperCase(),
      promised: promise.date,
      estimated: promise.estimated,
      taken_at: body.taken_at,
      photos: photos,
      state: "queued",
    };
    var db = await dbPromise;
    await db.put("queue", record);
    touch();
    // no whole ID number stays in the form once the record is kept
    $("intake").reset(); drawItem();
    showReceipt(record);
    await draw();
    sendLater();
    sync();
  }

  var shown = null;  // the key of the record whose receipt is on the screen

  function showReceipt(record) {
    shown = record.key;
    var body = $("receipt-body");
    body.textContent = "";
    var lines = record.kind === "consultation"
      ? ["咨询已记录,待同步 · " + record.reference, record.label]
      : [
        "受理号待同步 · 临时编号 " + record.reference,
        record.label,
        "受理时间 " + new Date(record.taken_at).toLocaleString("zh-CN", { timeZone: TZ }),
        "承诺答复 " + record.promised + (record.estimated ? "(估算)" : ""),
        (record.photos && record.photos.length ? "材料照片 " + record.photos.length + " 张,随件发送。" : ""),
        "有信号后自动发送,正式受理号会以短信告知。",
      ];
    lines.filter(Boolean).forEach(function (line) { var p = document.createElement("p"); p.textContent = line; body.appendChild(p); });
    $("receipt").hidden = false;
  }

  /* the server holds the case whose receipt is on the screen: its real number and promised date */
  function showSynced(record) {
    var body = $("receipt-body");
    body.textContent = "";
    [
      "受理号 " + record.answer.number + "(已同步)",
      record.label,
      "承诺答复 " + (record.answer.promised_date || record.promised),
    ].forEach(function (line) { var p = document.createElement("p"); p.textContent = line; body.appendChild(p); });
  }

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

  /* ---- drawing ---- */

  async function draw() {
    var db = await dbPromise;
    var queue = await db.getAll("queue");
    var sent = await db.getAll("sent");
    var waiting = queue.filter(function (r) { return r.state !== "conflict"; });
    var synced = shown && sent.find(function (r) { return r.key === shown && r.answer && r.answer.number; });
    if (synced) showSynced(synced);
    var conflicts = queue.filter(function (r) { return r.state === "conflict"; });
    text($("pending"), String(waiting.length));
    $("stale").hidden = !queue.some(function (r) { return Date.now() - Date.parse(r.taken_at) > DAY; });
    text($("net"), navigator.onLine ? "有信号:记录会马上发送。" : "没有信号:记录保存在本机,有信号后自动发送。");
    if (bundle) {
      text($("data-date"), "本机数据:" + bundle.date + " · 版本 " + bundle.version);
      var list = $("today-list"); list.textContent = "";
      bundle.booths.forEach(function (b) { list.appendChild(li(b.date + " 赶场 · " + b.name)); });
      bundle.home_tasks.forEach(function (t) {
        var row = li(t.due + " 上门 · " + t.kind + " · " + t.resident + " " + t.id_number + " · " + t.village_name + " " + t.address + (t.item ? " · " + t.item : ""));
        row.dataset.task = t.id;
        var done = queue.concat(sent).some(function (r) { return r.task === t.id; });
        if (done) {
          row.appendChild(document.createTextNode(" · 已记录结果"));
        } else {
          var result = document.createElement("input");
          result.maxLength = 2000; result.placeholder = "办理结果"; result.setAttribute("aria-label", "办理结果");
          var button = document.createElement("button");
          button.type = "button"; button.textContent = "完成";
          button.addEventListener("click", function () { completeTask(t, result.value); });
          row.appendChild(document.createElement("br")); row.appendChild(result); row.appendChild(button);
        }
        list.appendChild(row);
      });
      if (!$("f-place").options.length) drawForm();
    }
    var ql = $("queue-list"); ql.textContent = "";
    waiting.forEach(function (r) { ql.appendChild(li(r.reference + " · " + r.label + " · 承诺 " + r.promised)); });
    var cl = $("conflict-list"); cl.textContent = "";
    conflicts.forEach(function (r) {
      var item = li(r.reference + " · " + r.label + " · " + ((r.answer && (r.answer.message_zh || r.answer.message)) || "服务器未接受"));
      var drop = document.createElement("button");
      drop.type = "button"; drop.className = "secondary"; drop.textContent = "已处理,删除";
      drop.addEventListener("click", function () { discard(r.key); });
      item.appendChild(document.createTextNode(" ")); item.appendChild(drop);
      cl.appendChild(item);
    });
    var sl = $("sent-list"); sl.textContent = "";
    sent.sort(function (a, b) { return a.taken_at < b.taken_at ? 1 : -1; }).slice(0, 20).forEach(function (r) {
      var number = r.kind === "consultation" ? "咨询已记录" : r.kind === "task" ? "上门已记录"
        : r.kind === "visit" ? "走访已记录"
        : r.answer && r.answer.number ? r.answer.number : "?";
      var date = r.answer && r.answer.promised_date ? r.answer.promised_date : r.promised;
      sl.appendChild(li(number + " · " + r.label + " · 承诺 " + date));
    });
  }

  async function persist() {
    if (!(navigator.storage && navigator.storage.persist)) { text($("persist"), "本浏览器不支持长期保存。"); return; }
    var granted = await navigator.storage.persist();
    text($("persist"), granted ? "本机数据已设为长期保存,浏览器不会自动清除。" : "浏览器未同意长期保存:请把本应用添加到主屏幕。");
  }

  async function start() {
    guardLogOut();
    await ownedByThisCadre();
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
  $("send-now").addEventListener("click", sync);
  $("refresh").addEventListener("click", function () { loadBundle(true); });
  window.addEventListener("online", function () { draw(); sync(); });
  window.addEventListener("offline", draw);
  window.LinjuField.sync = sync;
  window.LinjuField.busy = function () { return syncing; };
  window.LinjuField.ready = start();
})();
