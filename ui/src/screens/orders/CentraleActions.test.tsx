import { describe, expect, it } from "vitest";
import { t } from "../../i18n";
import * as calendar from "../../calendar";
import { addDays, brusselsDay, brusselsWallClock } from "../../calendar";
import { AppError } from "../../errors";
import { BRUSSELS_INSTANTS } from "../../test/api";
import {
  checkDeadline,
  countdownText,
  defaultDeadline,
  serverNowMs,
  type ToInstant,
} from "./CentraleActions";

const at = (iso: string) => Date.parse(iso);

describe("the Brussels wall clock at an instant (to show it; the other way is Rust's)", () => {
  it("its day and time, in winter and in summer", () => {
    expect(brusselsDay(at("2027-03-12T23:30:00Z"))).toBe("2027-03-13");
    expect(brusselsDay(at("2027-03-12T22:59:00Z"))).toBe("2027-03-12");
    expect(brusselsWallClock(at("2027-01-15T12:00:00Z"))).toEqual({ day: "2027-01-15", time: "13:00" });
    expect(brusselsWallClock(at("2027-07-15T22:30:00Z"))).toEqual({ day: "2027-07-16", time: "00:30" });
  });

  it("calendar.ts converts no typed date and time into an instant: that is Rust's (api.brusselsInstant)", () => {
    expect(Object.keys(calendar)).not.toContain("brusselsToUtc");
    expect(Object.keys(calendar).filter((k) => /utc|instant|offset/i.test(k))).toEqual([]);
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
  const rules: { today: string; minDays: number | null; nowMs: number } = { today: "2027-03-12", minDays: 10, nowMs: at("2027-03-12T09:00:00Z") };
  /** Stands for Rust's `brussels_instant`: what it answers, and what it was asked. */
  const asked: string[] = [];
  const rust: ToInstant = async (date, time) => {
    asked.push(`${date} ${time}`);
    if (date === "2027-03-28" && time === "02:30") {
      throw new AppError("wall_time_skipped", "Le 28/03/2027 à 02:30 n'existe pas à Bruxelles : cette nuit-là, les horloges passent de 2 h à 3 h (heure d'été). Choisissez une autre heure.", {
        field: "time",
        date,
        time,
      });
    }
    const instant = BRUSSELS_INSTANTS[`${date} ${time}`];
    if (!instant) throw new Error(`no instant for ${date} ${time}`);
    return instant;
  };
  const check = (date: string, time: string, r = rules) => checkDeadline(t, { date, time }, r, rust);

  it("sends the typed wall time to Rust and gives the instant it answers", async () => {
    asked.length = 0;
    expect(await check("2027-03-26", "12:00")).toEqual({ utc: "2027-03-26T11:00:00Z" });
    expect(asked).toEqual(["2027-03-26 12:00"]);
  });

  it("asks for a date and a time, without asking Rust", async () => {
    asked.length = 0;
    const r = await check("", "");
    expect(r.date).toBe("Indiquez la date limite, par exemple 26/03/2027.");
    expect(r.time).toBe("Indiquez l'heure au format HH:MM, par exemple 12:00.");
    expect(r.utc).toBeNull();
    expect(asked).toEqual([]);
  });

  it("refuses a date before today + the minimum, saying the first possible one", async () => {
    expect((await check("2027-03-20", "12:00")).date).toBe(
      "La date limite doit laisser au moins 10 jours aux prestataires : choisissez le 22/03/2027 ou plus tard.",
    );
  });

  it("on the first possible day, refuses an hour before the minimum ends (calendar days, to the minute)", async () => {
    // Now is 10:00 in Brussels: the minimum ends on 22/03 at 10:00, Brussels time.
    const r = await check("2027-03-22", "09:00");
    expect(r.time).toBe("Le 22/03/2027, choisissez 10:00 ou plus tard : le délai de 10 jours se compte à l'heure près.");
    expect((await check("2027-03-22", "10:00")).utc).toBe("2027-03-22T09:00:00Z");
  });

  it("refuses more than a year ahead", async () => {
    expect((await check("2028-03-13", "12:00")).date).toBe("La date limite ne peut pas dépasser un an : choisissez le 11/03/2028 au plus tard.");
    expect((await check("2028-03-12", "12:00")).date).toBe("La date limite ne peut pas dépasser un an : choisissez le 11/03/2028 au plus tard.");
    // On the last day, past the hour a year from now (by Rust's instant): the day before.
    expect((await check("2028-03-11", "12:00")).date).toBe("La date limite ne peut pas dépasser un an : choisissez le 10/03/2028 au plus tard.");
  });

  it("shows Rust's refusal of an hour that does not exist that day next to the time", async () => {
    const r = await check("2027-03-28", "02:30");
    expect(r.time).toMatch(/n'existe pas à Bruxelles/);
    expect(r.utc).toBeNull();
  });

  it("without the server's minimum, only asks for a date after today", async () => {
    const unknown = { ...rules, minDays: null };
    expect((await check("2027-03-12", "18:00", unknown)).date).toMatch(/dans le futur/);
    expect((await check("2027-03-13", "12:00", unknown)).utc).toBe("2027-03-13T11:00:00Z");
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
    // In summer, Brussels' midnight is 22:00 UTC.
    expect(serverNowMs(at("2027-07-10T09:00:00Z"), null, "2027-07-12")).toBe(at("2027-07-11T22:00:00Z"));
  });
});
