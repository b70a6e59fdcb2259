/** Query keys of the instructor feature, general to specific (invalidate through these only). */
export const instructorKeys = {
  all: ['instructor'] as const,
  role: () => [...instructorKeys.all, 'role'] as const,
  cohorts: () => [...instructorKeys.all, 'cohorts'] as const,
  cohort: (id: string) => [...instructorKeys.cohorts(), id] as const,
  roster: (id: string) => [...instructorKeys.cohort(id), 'roster'] as const,
  itemStatistics: (id: string) => [...instructorKeys.cohort(id), 'item-statistics'] as const,
  systemAccuracy: (id: string) => [...instructorKeys.cohort(id), 'system-accuracy'] as const,
  analytics: (id: string) => [...instructorKeys.cohort(id), 'analytics'] as const,
  topicAccuracy: (id: string) => [...instructorKeys.analytics(id), 'topic-accuracy'] as const,
  activity: (id: string) => [...instructorKeys.analytics(id), 'activity'] as const,
  studentsAtRisk: (id: string, limit: number) => [...instructorKeys.analytics(id), 'students-at-risk', limit] as const,
  cohortAssignments: (id: string) => [...instructorKeys.cohort(id), 'assignments'] as const,
  assignment: (id: string) => [...instructorKeys.all, 'assignment', id] as const,
  assignmentResults: (id: string) => [...instructorKeys.assignment(id), 'results'] as const,
  assignmentQuestions: (id: string) => [...instructorKeys.assignment(id), 'questions'] as const,
  questions: () => [...instructorKeys.all, 'questions'] as const,
  question: (id: number) => [...instructorKeys.questions(), id] as const,
  questionAuthors: () => [...instructorKeys.all, 'question-authors'] as const,
  questionEditors: () => [...instructorKeys.all, 'question-editors'] as const,
};

/** Mutation keys of the instructor feature's writes (each in its api/<verb>-<noun>.ts with its options). */
export const instructorMutationKeys = {
  createCohort: [...instructorKeys.all, 'create-cohort'] as const,
  rotateJoinCode: [...instructorKeys.all, 'rotate-join-code'] as const,
  removeCohortMember: [...instructorKeys.all, 'remove-cohort-member'] as const,
  exportCohortResults: [...instructorKeys.all, 'export-cohort-results'] as const,
  exportQuestions: [...instructorKeys.all, 'export-questions'] as const,
  addQuestionEditor: [...instructorKeys.all, 'add-question-editor'] as const,
  removeQuestionEditor: [...instructorKeys.all, 'remove-question-editor'] as const,
  saveQuestion: [...instructorKeys.all, 'save-question'] as const,
  setQuestionPublished: [...instructorKeys.all, 'set-question-published'] as const,
  importQuestions: [...instructorKeys.all, 'import-questions'] as const,
  createAssignment: [...instructorKeys.all, 'create-assignment'] as const,
  deleteAssignment: [...instructorKeys.all, 'delete-assignment'] as const,
};
