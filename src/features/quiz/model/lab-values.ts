/**
 * Reference ranges for the lab-values panel (opened with L, as on the real exam). Common adult values as
 * USMLE's lab sheet lists them; the panel is a study aid, not clinical guidance.
 */
export interface LabValue {
  test: string;
  range: string;
}
export interface LabSection {
  id: string;
  title: string;
  values: LabValue[];
}

export const LAB_SECTIONS: LabSection[] = [
  {
    id: 'serum',
    title: 'Serum chemistry',
    values: [
      { test: 'Sodium (Na⁺)', range: '136–146 mEq/L' },
      { test: 'Potassium (K⁺)', range: '3.5–5.0 mEq/L' },
      { test: 'Chloride (Cl⁻)', range: '95–105 mEq/L' },
      { test: 'Bicarbonate (HCO₃⁻)', range: '22–28 mEq/L' },
      { test: 'Urea nitrogen (BUN)', range: '7–18 mg/dL' },
      { test: 'Creatinine', range: '0.6–1.2 mg/dL' },
      { test: 'Glucose, fasting', range: '70–100 mg/dL' },
      { test: 'Calcium, total', range: '8.4–10.2 mg/dL' },
      { test: 'Magnesium', range: '1.5–2.0 mg/dL' },
      { test: 'Phosphorus (inorganic)', range: '3.0–4.5 mg/dL' },
      { test: 'Osmolality', range: '275–295 mOsm/kg H₂O' },
      { test: 'Albumin', range: '3.5–5.5 g/dL' },
      { test: 'Total protein', range: '6.0–7.8 g/dL' },
      { test: 'Bilirubin, total / direct', range: '0.1–1.0 / 0.0–0.3 mg/dL' },
      { test: 'Alanine aminotransferase (ALT)', range: '10–40 U/L' },
      { test: 'Aspartate aminotransferase (AST)', range: '12–38 U/L' },
      { test: 'Alkaline phosphatase', range: '25–100 U/L' },
      { test: 'Amylase', range: '25–125 U/L' },
      { test: 'Uric acid', range: '3.0–8.2 mg/dL' },
      { test: 'Iron / TIBC', range: '50–170 / 250–400 µg/dL' },
      { test: 'Ferritin', range: 'M 20–250, F 10–120 ng/mL' },
      { test: 'TSH', range: '0.4–4.0 µU/mL' },
      { test: 'Thyroxine (T₄), total', range: '5–12 µg/dL' },
      { test: 'Cholesterol, total', range: '< 200 mg/dL' },
      { test: 'Triglycerides', range: '< 150 mg/dL' },
    ],
  },
  {
    id: 'hematology',
    title: 'Hematology',
    values: [
      { test: 'Hemoglobin', range: 'M 13.5–17.5, F 12.0–16.0 g/dL' },
      { test: 'Hematocrit', range: 'M 41–53 %, F 36–46 %' },
      { test: 'Mean corpuscular volume (MCV)', range: '80–100 µm³' },
      { test: 'Leukocyte count', range: '4,500–11,000/mm³' },
      { test: 'Neutrophils, segmented', range: '54–62 %' },
      { test: 'Lymphocytes', range: '25–33 %' },
      { test: 'Platelet count', range: '150,000–400,000/mm³' },
      { test: 'Reticulocyte count', range: '0.5–1.5 %' },
      { test: 'Prothrombin time (PT)', range: '11–15 s' },
      { test: 'Partial thromboplastin time (PTT)', range: '25–40 s' },
      { test: 'Erythrocyte sedimentation rate', range: 'M 0–15, F 0–20 mm/h' },
    ],
  },
  {
    id: 'abg',
    title: 'Arterial blood gas (room air)',
    values: [
      { test: 'pH', range: '7.35–7.45' },
      { test: 'PaCO₂', range: '33–45 mm Hg' },
      { test: 'PaO₂', range: '75–105 mm Hg' },
      { test: 'HCO₃⁻', range: '22–28 mEq/L' },
    ],
  },
  {
    id: 'csf',
    title: 'Cerebrospinal fluid',
    values: [
      { test: 'Cell count', range: '0–5/mm³' },
      { test: 'Glucose', range: '40–70 mg/dL' },
      { test: 'Protein, total', range: '< 40 mg/dL' },
      { test: 'Pressure (opening)', range: '70–180 mm H₂O' },
    ],
  },
  {
    id: 'urine',
    title: 'Urine',
    values: [
      { test: 'Osmolality', range: '50–1,200 mOsm/kg H₂O' },
      { test: 'Specific gravity', range: '1.003–1.030' },
      { test: 'Protein, total', range: '< 150 mg/24 h' },
      { test: 'Calcium', range: '100–300 mg/24 h' },
      { test: 'Creatinine clearance', range: 'M 97–137, F 88–128 mL/min' },
      { test: 'Sodium', range: 'Varies with diet' },
    ],
  },
];
