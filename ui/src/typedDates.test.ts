import { describe, expect, it } from "vitest";
import { dateForField, readTypedDate, readTypedTime } from "./typedDates";

describe("readTypedDate", () => {
  it("reads the day first, whatever the separator", () => {
    for (const [typed, iso] of [
      ["01/04/2027", "2027-04-01"],
      ["1/4/2027", "2027-04-01"],
      ["01-04-2027", "2027-04-01"],
      ["1.4.2027", "2027-04-01"],
      [" 31/12/2026 ", "2026-12-31"],
      ["04/01/2027", "2027-01-04"],
      ["2027-04-01", "2027-04-01"],
    ]) {
      expect(readTypedDate(typed ?? ""), typed).toBe(iso);
    }
  });

  it("knows the leap years", () => {
    expect(readTypedDate("29/02/2028")).toBe("2028-02-29");
    expect(readTypedDate("29/02/2000")).toBe("2000-02-29");
    expect(readTypedDate("29/02/2027")).toBeNull();
    expect(readTypedDate("29/02/2100")).toBeNull();
  });

  it("refuses what is not a real date written day first", () => {
    for (const typed of [
      "",
      "31/04/2027",
      "32/01/2027",
      "00/01/2027",
      "01/00/2027",
      "04/13/2027",
      "12/31/2026",
      "01/04/27",
      "01/04/02027",
      "01/04-2027",
      "1 avril 2027",
      "2027/04/01",
      "2027-02-30",
      "2027-4-1",
      "April 1, 2027",
      "01/04/2027 12:00",
    ]) {
      expect(readTypedDate(typed), typed).toBeNull();
    }
  });
});

describe("readTypedTime", () => {
  it("reads a time on 24 hours", () => {
    for (const [typed, time] of [
      ["09:05", "09:05"],
      ["9:05", "09:05"],
      ["14h30", "14:30"],
      ["14 h 30", "14:30"],
      ["14H30", "14:30"],
      ["14h", "14:00"],
      ["14.30", "14:30"],
      ["00:00", "00:00"],
      ["23:59", "23:59"],
    ]) {
      expect(readTypedTime(typed ?? ""), typed).toBe(time);
    }
  });

  it("refuses AM/PM and impossible times", () => {
    for (const typed of ["", "2:00 PM", "12:00 AM", "2 PM", "24:00", "12:60", "9:5", "14:", "930", "midi"]) {
      expect(readTypedTime(typed), typed).toBeNull();
    }
  });
});

describe("dateForField", () => {
  it("shows a calendar date day first and anything else as it is", () => {
    expect(dateForField("2027-04-01")).toBe("01/04/2027");
    expect(dateForField("31/04/2027")).toBe("31/04/2027");
    expect(dateForField("")).toBe("");
  });
});
