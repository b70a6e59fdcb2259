import { expect, test } from 'vitest';
import { taxonomyLabel, taxonomyOptions } from './taxonomy';

test('known keys get their human label, unknown keys a readable fallback', () => {
  expect(taxonomyLabel('hematology_oncology')).toBe('Hematology & oncology');
  expect(taxonomyLabel('behavioral_science')).toBe('Behavioral science');
  expect(taxonomyLabel('ear_nose_throat')).toBe('Ear nose throat');
});

test('options are distinct and sorted by label', () => {
  expect(taxonomyOptions(['renal', 'cardiovascular', 'renal', 'hematology_oncology'])).toEqual([
    { value: 'cardiovascular', label: 'Cardiovascular' },
    { value: 'hematology_oncology', label: 'Hematology & oncology' },
    { value: 'renal', label: 'Renal & urinary' },
  ]);
});
