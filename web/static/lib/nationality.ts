import { $ } from "./dom";

/**
 * A passport is keyed with its issuing state, so every form that takes a document shows the
 * nationality field for a passport (and only then), and sends it with the document.
 */
export function wireNationality(prefix: string): void {
  const idType = $<HTMLSelectElement>(`${prefix}-idType`);
  const field = $(`${prefix}-nationality`).parentElement as HTMLElement;
  const sync = () => {
    field.hidden = idType.value !== "passport";
  };
  idType.addEventListener("change", sync);
  idType.form?.addEventListener("reset", () => setTimeout(sync));
  sync();
}

/** `{nationality}` for a passport, nothing otherwise. */
export function nationalityOf(f: Record<string, string | undefined>): { nationality?: string } {
  return f.idType === "passport" && f.nationality ? { nationality: f.nationality.trim().toUpperCase() } : {};
}
