import { describe, expect, it } from "vitest";
import { nameWithTitle, personLabel, signatureLabel, titleOf } from "./people";
import { signature } from "./test/screenFixtures";

describe("a person's name and title (issue 15)", () => {
  it("a directrice's signature reads « directrice générale », never the role twice", () => {
    expect(personLabel({ display_name: "Marie Lambert", role: "director_general", gender: "female" })).toBe(
      "Marie Lambert, directrice générale",
    );
    expect(personLabel({ display_name: "Luc Gérard", role: "director_general", gender: "male" })).toBe("Luc Gérard, directeur général");
    expect(titleOf("commune_staff", "female")).toBe("agente communale");
    expect(titleOf("centrale_staff", "female")).toBe("chargée de compte de la centrale");
  });

  it("a substitute is shown as such (CDLD L1123-5), with the title signed", () => {
    expect(titleOf("mayor", "male", "mayor_acting")).toBe("échevin, bourgmestre f.f.");
    expect(titleOf("director_general", "female", "director_general_acting")).toBe("directrice générale f.f.");
    const signed = signature({ name: "Jean Dupont", role: "mayor", capacity: "mayor_acting", title: "échevin, bourgmestre f.f." });
    expect(signatureLabel(signed)).toBe("Jean Dupont, échevin, bourgmestre f.f.");
  });

  it("a signature keeps the title it was signed with; an old one reads its role", () => {
    expect(signatureLabel(signature({ name: "Marie Lambert", title: "directrice générale" }))).toBe("Marie Lambert, directrice générale");
    expect(signatureLabel(signature({ name: "Marie Dupont", title: "" }))).toBe("Marie Dupont, directeur général");
    expect(nameWithTitle("Marie", " ")).toBe("Marie");
  });
});
