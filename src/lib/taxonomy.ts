/**
 * Human names for the bank's taxonomy keys (the check constraints on public.questions.organ_system and
 * .discipline), shared by every feature that shows them. A key not listed here (added by a later
 * migration) still reads well through the fallback rather than breaking a screen.
 */
import { compareText } from '@/lib/format';

/** The five answer letters of every question (public.questions' check constraint), in order. */
export const CHOICES = ['A', 'B', 'C', 'D', 'E'] as const;
export type Choice = (typeof CHOICES)[number];

export function isChoice(v: string): v is Choice {
  return (CHOICES as readonly string[]).includes(v);
}

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
  const words = key.split('_').filter(Boolean).join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function organSystemLabel(key: string): string {
  return ORGAN_SYSTEMS[key] ?? fallbackLabel(key);
}

export function disciplineLabel(key: string): string {
  return DISCIPLINES[key] ?? fallbackLabel(key);
}

/** The label of either kind of key. */
export function taxonomyLabel(key: string): string {
  return ORGAN_SYSTEMS[key] ?? DISCIPLINES[key] ?? fallbackLabel(key);
}

/** Distinct values of one taxonomy field, sorted by label (for checkbox groups and filters). */
export function taxonomyOptions(values: Iterable<string>): { value: string; label: string }[] {
  return [...new Set(values)].map((value) => ({ value, label: taxonomyLabel(value) })).sort((a, b) => compareText(a.label, b.label));
}
