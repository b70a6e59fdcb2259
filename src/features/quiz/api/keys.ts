/** Query keys of the quiz feature, general to specific (invalidate through these only). */
export const quizKeys = {
  all: ['quiz'] as const,
  /** The whole question bank: kept out of the persisted cache (query-defaults.ts). */
  bank: () => [...quizKeys.all, 'bank'] as const,
  /**
   * What home says of the bank's offline copy (size, date): persisted. Not under `bank()`, whose
   * defaults would otherwise apply to it by prefix.
   */
  offlineCopy: () => [...quizKeys.all, 'offline-copy'] as const,
  /** The images of the published questions, sized before an offline download (not under bank()). */
  bankImages: () => [...quizKeys.all, 'bank-images'] as const,
  /** Some questions by id (a block's), apart from the bank: persisted, unlike the bank. */
  questionsAll: () => [...quizKeys.all, 'questions'] as const,
  questions: (questionIds: readonly number[]) => [...quizKeys.questionsAll(), [...questionIds].sort((a, b) => a - b)] as const,
  history: () => [...quizKeys.all, 'history'] as const,
  attempts: () => [...quizKeys.all, 'attempts'] as const,
  /** The caller's latest blocks (home). */
  recentAttempts: (limit: number) => [...quizKeys.attempts(), 'recent', limit] as const,
  /** Scores of some blocks; under attempts() so whatever refreshes the blocks refreshes these. */
  attemptScores: (attemptIds: readonly string[]) => [...quizKeys.attempts(), 'scores', [...attemptIds].sort()] as const,
  attempt: (id: string) => [...quizKeys.attempts(), id] as const,
  attemptAnswers: (id: string) => [...quizKeys.attempt(id), 'answers'] as const,
  /** The student's assignments with their own standing (home, the assignment page): persisted, for offline. */
  assignments: () => [...quizKeys.all, 'assignments'] as const,
  /** The student's own blocks of one assignment (its sittings), under attempts() like every block read. */
  assignmentAttempts: (assignmentId: string) => [...quizKeys.attempts(), 'assignment', assignmentId] as const,
  distribution: (questionIds: readonly number[]) => [...quizKeys.all, 'distribution', [...questionIds].sort((a, b) => a - b)] as const,
};
