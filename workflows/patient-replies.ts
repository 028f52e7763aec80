import { log, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/create-activities';
import type { z } from 'zod';
import type { ConversationEndedRequest, conversationEndedResultSchema, ReplyRequest, replyResultSchema } from '../contracts/patient-requests';
import { EMAIL_ACTIVITY_OPTIONS, STORE_ACTIVITY_OPTIONS } from './activity-options';
import { rejectionFailure } from './rejection-failure';

const { acceptReply, endConversation: endConversationActivity } = proxyActivities<Activities>(STORE_ACTIVITY_OPTIONS);
const { sendReply } = proxyActivities<Activities>(EMAIL_ACTIVITY_OPTIONS);

/** Workflow: records the holder's reply to a message, then sends it to the professional by secure messaging. */
export async function replyToMessage(request: ReplyRequest): Promise<z.infer<typeof replyResultSchema>> {
  const accepted = await acceptReply(request);
  if (accepted.outcome === 'rejected') {
    log.info('Reply rejected', { replyId: request.id, errorCode: accepted.errorCode });
    throw rejectionFailure(accepted);
  }

  await sendReply({ replyId: request.id });
  return accepted;
}

/** Workflow: ends a message's conversation at its sender's request, so that the holder can no longer reply. */
export async function endConversation(request: ConversationEndedRequest): Promise<z.infer<typeof conversationEndedResultSchema>> {
  const ended = await endConversationActivity(request);
  if (ended.outcome === 'rejected') {
    throw rejectionFailure(ended);
  }
  return ended;
}
