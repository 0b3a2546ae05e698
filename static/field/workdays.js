/* Linju field app: working days, counted on the phone as the server counts them
   (linju/workdays/selectors.py), from the calendar the day's bundle carries: its exceptions (holidays,
   and the weekends worked in their place), the years it knows, and the last day it covers. A date
   past what the calendar knows is counted by weekdays alone and said to be estimated. */
(function (scope) {
  "use strict";

  var DAY = 86400000;
  var TZ = "Asia/Shanghai";

  function parse(isoDay) { var p = isoDay.split("-"); return new Date(Date.UTC(+p[0], +p[1] - 1, +p[2])); }
  function iso(date) { return date.toISOString().slice(0, 10); }
  function next(isoDay) { return iso(new Date(parse(isoDay).getTime() + DAY)); }

  /* a day: whether it is worked, and whether the calendar only guesses */
  function dayInfo(cal, isoDay) {
    var year = +isoDay.slice(0, 4);
    var estimated = cal.known_years.indexOf(year) < 0 || isoDay > cal.to;
    var kind = cal.exceptions[isoDay];
    var weekday = parse(isoDay).getUTCDay();
    var working = kind ? kind === "workday" : weekday !== 0 && weekday !== 6;
    return { working: working, estimated: estimated };
  }

  /* the day `count` working days after `startIso` (the start itself not counted) */
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

  /* today (or a moment's day) in Chongqing, as YYYY-MM-DD */
  function localToday(moment) {
    return new Intl.DateTimeFormat("en-CA", { timeZone: TZ }).format(moment || new Date());
  }

  var api = { dayInfo: dayInfo, addWorkingDays: addWorkingDays, localToday: localToday, DAY: DAY };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else scope.LinjuWorkdays = api;
})(typeof self !== "undefined" ? self : this);
