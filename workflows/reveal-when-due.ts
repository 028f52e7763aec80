import { condition, log, proxyActivities, setHandler } from '@temporalio/workflow';
import type { VisibilityDelays } from '../activities/activity-dependencies';
import type { Activities } from '../activities/create-activities';
import type { NotificationSettlement } from '../activities/send-notification';
import { STORE_ACTIVITY_OPTIONS } from './activity-options';
import { announcedSignal } from './announcement-signal';
import { notifyPatient } from './notify-patient';

const { planDocumentUpdateNotice, revealDocument } = proxyActivities<Activities>(STORE_ACTIVITY_OPTIONS);

/**
 * Keeps an `INVISIBLE_PATIENT` document hidden until its author announces it or its delay runs out. Without an
 * announcement, the patient is notified of an update (not of which document) after the first delay, and the
 * document becomes visible, with the usual document notice, after the second. Both waits are durable timers.
 */
export async function revealWhenDue(documentId: string, delays: VisibilityDelays): Promise<NotificationSettlement> {
  let announced = false;
  setHandler(announcedSignal, () => {
    announced = true;
  });

  const announcedBeforeNotice = await condition(() => announced, delays.updateNoticeAfterMs);
  if (!announcedBeforeNotice) {
    log.info('Hidden document not announced in time; telling the patient of an update', { documentId });
    await notifyPatient(await planDocumentUpdateNotice({ documentId }));
    await condition(() => announced, delays.visibleAfterMs - delays.updateNoticeAfterMs);
  }

  const revealed = await revealDocument({ documentId });
  log.info('Hidden document made visible to the patient', { documentId, announced, alreadyVisible: revealed.alreadyVisible });
  return notifyPatient(revealed);
}
