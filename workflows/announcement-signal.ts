import { defineSignal } from '@temporalio/workflow';

/**
 * Signal to a `feedDocument` workflow whose document is hidden from the patient: its author has announced it in
 * a consultation, so the document becomes visible now instead of at the end of its delay.
 */
export const announcedSignal = defineSignal('announced');
