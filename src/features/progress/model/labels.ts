/**
 * Human names for the bank's category keys (the check constraints on public.questions). The same names
 * as the quiz feature's taxonomy.ts (keep them in step): features do not import each other. A key
 * missing here (added by a later migration) falls back to a readable form rather than breaking the
 * dashboard.
 */
const ORGAN_SYSTEMS: Readonly<Record<string, string>> = {
  cardiovascular: 'Cardiovascular',
  respiratory: 'Respiratory',
  renal: 'Renal & urinary',
  gastrointestinal: 'Gastrointestinal',
  endocrine: 'Endocrine',
  reproductive: 'Reproductive',
  musculoskeletal: 'Musculoskeletal',
  nervous: 'Nervous system',
  hematology_oncology: 'Hematology & oncology',
  skin: 'Skin & connective tissue',
  psychiatry: 'Psychiatry',
  immune: 'Immune system',
  multisystem: 'Multisystem',
};

const DISCIPLINES: Readonly<Record<string, string>> = {
  anatomy: 'Anatomy',
  physiology: 'Physiology',
  biochemistry: 'Biochemistry',
  pathology: 'Pathology',
  pharmacology: 'Pharmacology',
  microbiology: 'Microbiology',
  immunology: 'Immunology',
  genetics: 'Genetics',
  behavioral_science: 'Behavioral science',
};

export const ORGAN_SYSTEM_KEYS = Object.keys(ORGAN_SYSTEMS);
export const DISCIPLINE_KEYS = Object.keys(DISCIPLINES);

function fallbackLabel(key: string): string {
  const spaced = key.replace(/_/g, ' ');
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

export function organSystemLabel(key: string): string {
  return ORGAN_SYSTEMS[key] ?? fallbackLabel(key);
}

export function disciplineLabel(key: string): string {
  return DISCIPLINES[key] ?? fallbackLabel(key);
}
