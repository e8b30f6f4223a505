/**
 * How a person is named on screen, written once: « name, title », the title chosen by role,
 * capacity (titular, bourgmestre f.f., échevin délégué, directeur général f.f.) and gender
 * from the shared catalogue (`crates/domain/messages/fr.json`, `labels.title`: the words the
 * server writes into signatures). A signature shows the title it was signed with.
 */
import { errorLabelsFr } from "./bindings/errorLabelsFr";
import type { Capacity } from "./bindings/Capacity";
import type { Gender } from "./bindings/Gender";
import type { Role } from "./bindings/Role";
import type { Signature } from "./bindings/Signature";

/** « directrice générale », « échevin, bourgmestre f.f. », « agente communale »… */
export function titleOf(role: Role, gender?: Gender | null, capacity: Capacity = "titular"): string {
  const key = capacity === "titular" ? role : capacity;
  const suffix = gender === "female" ? "f" : "m";
  return errorLabelsFr.title?.[`${key}.${suffix}`] ?? errorLabelsFr.role?.[role] ?? role;
}

/** « Marie Lambert, directrice générale » (the name alone when there is no title). */
export function nameWithTitle(name: string, title: string): string {
  return title.trim() === "" ? name : `${name}, ${title}`;
}

/** An account (the signed-in person, the author of a change). */
export function personLabel(person: { display_name: string; role: Role; gender?: Gender | null }): string {
  return nameWithTitle(person.display_name, titleOf(person.role, person.gender));
}

/** A signature as signed: its recorded title; one recorded before titles, by its role. */
export function signatureLabel(signature: Signature): string {
  const title = signature.title || titleOf(signature.role, null, signature.capacity ?? "titular");
  return nameWithTitle(signature.name, title);
}
