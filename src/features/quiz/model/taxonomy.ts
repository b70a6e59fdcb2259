/**
 * Human labels for the bank's taxonomy keys (questions.organ_system / questions.discipline). Keys the
 * map does not know yet (a new system added by a migration) still read well through the fallback.
 */
const LABELS: Readonly<Record<string, string>> = {
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

export function taxonomyLabel(key: string): string {
  const known = LABELS[key];
  if (known) return known;
  const words = key.split('_').filter(Boolean).join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Distinct values of one taxonomy field, sorted by label (for the create-block checkbox groups). */
export function taxonomyOptions(values: Iterable<string>): { value: string; label: string }[] {
  return [...new Set(values)].map((value) => ({ value, label: taxonomyLabel(value) })).sort((a, b) => a.label.localeCompare(b.label));
}
