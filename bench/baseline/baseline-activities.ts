/** The baseline's only activity: returns its input without I/O. */
export const baselineActivities = {
  async baselineNoop(input: { id: string }): Promise<{ id: string }> {
    return input;
  },
};

export type BaselineActivities = typeof baselineActivities;
