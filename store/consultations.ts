import type { PoolClient } from 'pg';
import type { ConsultationRequest } from '../contracts/consultation-request';

/** Records a consultation of the DMP. */
export async function insertConsultation(client: PoolClient, patientRef: string, request: ConsultationRequest, at: Date): Promise<void> {
  await client.query(
    `INSERT INTO consultations (id, patient_ref, professional_rpps, professional_name, mode, announced_document_id, consulted_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [request.id, patientRef, request.professional.rpps, request.professional.name, request.mode, request.announces ?? null, at],
  );
}

/**
 * Records the professional's first access to this DMP. Returns true when this consultation is the first; the
 * primary key makes exactly one of several concurrent first consultations win.
 */
export async function recordFirstAccess(
  client: PoolClient,
  patientRef: string,
  professionalRpps: string,
  consultationId: string,
  at: Date,
): Promise<boolean> {
  const result = await client.query(
    `INSERT INTO professional_accesses (patient_ref, professional_rpps, first_consultation_id, first_access_at)
     VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
    [patientRef, professionalRpps, consultationId, at],
  );
  return result.rowCount === 1;
}
