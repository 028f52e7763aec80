// Entry point of the workflow bundle: every workflow the worker registers.
export { applyAccountEvent } from './apply-account-event';
export { consultDmp } from './consult-dmp';
export { feedDocument } from './feed-document';
export { endConversation, replyToMessage } from './patient-replies';
export { sendMessage } from './send-message';
export { yearlyStatement } from './yearly-statement';
