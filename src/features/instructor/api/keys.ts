/** Query keys of the instructor feature, general to specific (invalidate through these only). */
export const instructorKeys = {
  all: ['instructor'] as const,
  role: () => [...instructorKeys.all, 'role'] as const,
  cohorts: () => [...instructorKeys.all, 'cohorts'] as const,
  cohort: (id: string) => [...instructorKeys.cohorts(), id] as const,
  roster: (id: string) => [...instructorKeys.cohort(id), 'roster'] as const,
  itemStatistics: (id: string) => [...instructorKeys.cohort(id), 'item-statistics'] as const,
  systemAccuracy: (id: string) => [...instructorKeys.cohort(id), 'system-accuracy'] as const,
  questions: () => [...instructorKeys.all, 'questions'] as const,
  question: (id: number) => [...instructorKeys.questions(), id] as const,
  questionAuthors: () => [...instructorKeys.all, 'question-authors'] as const,
  questionEditors: () => [...instructorKeys.all, 'question-editors'] as const,
};
