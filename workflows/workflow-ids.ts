/**
 * Workflow IDs come from business IDs, so that a backend that retries a start reaches the same run and its
 * result instead of delivering twice. They never contain an INS.
 */
export const workflowIds = {
  message: (id: string) => `message-${id}`,
  document: (id: string) => `document-${id}`,
  accountEvent: (id: string) => `account-event-${id}`,
  consultation: (id: string) => `consultation-${id}`,
  reply: (id: string) => `reply-${id}`,
  conversationEnd: (id: string) => `conversation-end-${id}`,
};
