/** Words for the server's judgement of a student's assignment (get_my_assignments' status). */
export const STATUS_LABEL = { not_started: 'Not started', in_progress: 'In progress', done: 'Done', late: 'Done late' } as const;
