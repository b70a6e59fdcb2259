/** A new task: what follows runs after the browser has had a chance to paint and answer input. */
export const nextTask = (): Promise<void> => new Promise<void>((resolve) => setTimeout(resolve, 0));
