import { describe, expect, it } from "vitest";
import { t } from "../../i18n";
import { addDays, brusselsDay, brusselsOffsetMinutes, brusselsToUtc } from "../../calendar";
import {
  checkDeadline,
  countdownText,
  defaultDeadline,
  serverNowMs,
} from "./CentraleActions";

const at = (iso: string) => Date.parse(iso);

describe("brusselsToUtc — a Brussels wall-clock date and time as a UTC instant", () => {
  it("in winter (CET, UTC+1): 12:00 in Brussels is 11:00 UTC", () => {
    expect(brusselsToUtc("2027-03-26", "12:00")).toBe("2027-03-26T11:00:00Z");
    expect(brusselsToUtc("2027-01-15", "00:30")).toBe("2027-01-14T23:30:00Z");
    expect(brusselsToUtc("2026-12-31", "23:59")).toBe("2026-12-31T22:59:00Z");
  });

  it("in summer (CEST, UTC+2): 12:00 in Brussels is 10:00 UTC", () => {
    expect(brusselsToUtc("2027-04-09", "12:00")).toBe("2027-04-09T10:00:00Z");
    expect(brusselsToUtc("2027-07-01", "01:15")).toBe("2027-06-30T23:15:00Z");
  });

  it("around the change to summer time (last Sunday of March, 02:00 → 03:00)", () => {
    expect(brusselsToUtc("2027-03-28", "01:59")).toBe("2027-03-28T00:59:00Z");
    // 02:30 does not exist that day.
    expect(brusselsToUtc("2027-03-28", "02:30")).toBeNull();
    expect(brusselsToUtc("2027-03-28", "03:00")).toBe("2027-03-28T01:00:00Z");
    expect(brusselsToUtc("2027-03-28", "12:00")).toBe("2027-03-28T10:00:00Z");
    expect(brusselsToUtc("2027-03-27", "12:00")).toBe("2027-03-27T11:00:00Z");
  });

  it("around the change to winter time (last Sunday of October, 03:00 → 02:00): the repeated hour is the first one", () => {
    expect(brusselsToUtc("2027-10-31", "01:30")).toBe("2027-10-30T23:30:00Z");
    expect(brusselsToUtc("2027-10-31", "02:30")).toBe("2027-10-31T00:30:00Z");
    expect(brusselsToUtc("2027-10-31", "03:00")).toBe("2027-10-31T02:00:00Z");
    expect(brusselsToUtc("2027-10-31", "12:00")).toBe("2027-10-31T11:00:00Z");
    expect(brusselsToUtc("2027-10-30", "12:00")).toBe("2027-10-30T10:00:00Z");
  });

  it("refuses what is not a date and a time", () => {
    expect(brusselsToUtc("", "12:00")).toBeNull();
    expect(brusselsToUtc("2027-02-30", "12:00")).toBeNull();
    expect(brusselsToUtc("2027-03-26", "24:00")).toBeNull();
    expect(brusselsToUtc("2027-03-26", "12h00")).toBeNull();
  });

  it("the offset and the day in Brussels at an instant", () => {
    expect(brusselsOffsetMinutes(at("2027-01-15T12:00:00Z"))).toBe(60);
    expect(brusselsOffsetMinutes(at("2027-07-15T12:00:00Z"))).toBe(120);
    expect(brusselsDay(at("2027-03-12T23:30:00Z"))).toBe("2027-03-13");
    expect(brusselsDay(at("2027-03-12T22:59:00Z"))).toBe("2027-03-12");
  });
});

describe("addDays", () => {
  it("counts calendar days across months and years", () => {
    expect(addDays("2027-03-12", 14)).toBe("2027-03-26");
    expect(addDays("2027-12-25", 10)).toBe("2028-01-04");
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2027-03-12", -12)).toBe("2027-02-28");
  });
});

describe("defaultDeadline", () => {
  const morning = at("2027-03-12T08:00:00Z");
  it("today + 14 days at 12:00 when the minimum is shorter", () => {
    expect(defaultDeadline("2027-03-12", 10, morning)).toEqual({ date: "2027-03-26", time: "12:00" });
  });
  it("today + the minimum when it is longer; one day more when that is already short of it (after noon)", () => {
    expect(defaultDeadline("2027-03-12", 20, morning)).toEqual({ date: "2027-04-01", time: "12:00" });
    expect(defaultDeadline("2027-03-12", 20, at("2027-03-12T15:00:00Z"))).toEqual({ date: "2027-04-02", time: "12:00" });
  });
  it("today + 14 days when the minimum is not known yet", () => {
    expect(defaultDeadline("2027-03-12", null, morning)).toEqual({ date: "2027-03-26", time: "12:00" });
  });
});

describe("checkDeadline", () => {
  const rules = { today: "2027-03-12", minDays: 10, nowMs: at("2027-03-12T09:00:00Z") };

  it("gives the UTC instant of a right deadline", () => {
    expect(checkDeadline(t, { date: "2027-03-26", time: "12:00" }, rules)).toEqual({ utc: "2027-03-26T11:00:00Z" });
  });

  it("asks for a date and a time", () => {
    const r = checkDeadline(t, { date: "", time: "" }, rules);
    expect(r.date).toBe("Indiquez la date limite, par exemple 26/03/2027.");
    expect(r.time).toBe("Indiquez l'heure au format HH:MM, par exemple 12:00.");
    expect(r.utc).toBeNull();
  });

  it("refuses a date before today + the minimum, saying the first possible one", () => {
    expect(checkDeadline(t, { date: "2027-03-20", time: "12:00" }, rules).date).toBe(
      "La date limite doit laisser au moins 10 jours aux prestataires : choisissez le 22/03/2027 ou plus tard.",
    );
  });

  it("on the first possible day, refuses an hour before the minimum ends (it counts to the hour)", () => {
    // Now is 10:00 in Brussels: 22/03 at 09:00 is 9 days and 23 hours away.
    const r = checkDeadline(t, { date: "2027-03-22", time: "09:00" }, rules);
    expect(r.time).toBe("Le 22/03/2027, choisissez 10:00 ou plus tard : le délai de 10 jours se compte à l'heure près.");
    expect(checkDeadline(t, { date: "2027-03-22", time: "10:00" }, rules).utc).toBe("2027-03-22T09:00:00Z");
  });

  it("refuses more than a year ahead", () => {
    expect(checkDeadline(t, { date: "2028-03-13", time: "12:00" }, rules).date).toBe(
      "La date limite ne peut pas dépasser un an : choisissez le 11/03/2028 au plus tard.",
    );
  });

  it("refuses an hour that does not exist that day", () => {
    expect(checkDeadline(t, { date: "2027-03-28", time: "02:30" }, rules).time).toMatch(/n'existe pas ce jour-là/);
  });

  it("without the server's minimum, only asks for a date after today", () => {
    const unknown = { ...rules, minDays: null };
    expect(checkDeadline(t, { date: "2027-03-12", time: "18:00" }, unknown).date).toMatch(/dans le futur/);
    expect(checkDeadline(t, { date: "2027-03-13", time: "12:00" }, unknown).utc).toBe("2027-03-13T11:00:00Z");
  });
});

describe("countdownText", () => {
  const deadline = at("2027-03-14T11:00:00Z");
  it("days and hours left, rounded down", () => {
    expect(countdownText(t, deadline, at("2027-03-12T09:00:00Z"))).toBe("Il reste 2 jours et 2 heures avant la date limite.");
    expect(countdownText(t, deadline, at("2027-03-13T09:30:00Z"))).toBe("Il reste 1 jour et 1 heure avant la date limite.");
    expect(countdownText(t, deadline, at("2027-03-11T11:00:00Z"))).toBe("Il reste 3 jours avant la date limite.");
    expect(countdownText(t, deadline, at("2027-03-14T05:10:00Z"))).toBe("Il reste 5 heures avant la date limite.");
    expect(countdownText(t, deadline, at("2027-03-14T10:30:00Z"))).toBe("Il reste moins d'une heure avant la date limite.");
  });
  it("once passed, says the server opens the offers", () => {
    expect(countdownText(t, deadline, deadline + 1)).toMatch(/^La date limite est passée/);
  });
});

describe("serverNowMs", () => {
  it("adds the offset seen at the last sync", () => {
    expect(serverNowMs(at("2027-03-12T09:00:00Z"), 90_000, "2027-03-12")).toBe(at("2027-03-12T09:01:30Z"));
  });
  it("before any sync, keeps the PC's clock within the server's today", () => {
    expect(serverNowMs(at("2027-03-12T09:00:00Z"), null, "2027-03-12")).toBe(at("2027-03-12T09:00:00Z"));
    expect(serverNowMs(at("2027-03-10T09:00:00Z"), null, "2027-03-12")).toBe(at("2027-03-11T23:00:00Z"));
    expect(serverNowMs(at("2027-03-14T09:00:00Z"), null, "2027-03-12")).toBe(at("2027-03-12T22:59:00Z"));
  });
});
