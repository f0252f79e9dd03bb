import type { Participant, ParticipantId } from '@roundtable/protocol'
import { AppError } from '../../errors.ts'

/**
 * The form two display names are compared in: compatibility-normalised (NFKC: full-width and
 * ligature letters read as plain ones), accents dropped, case folded, spaces collapsed. "Mark Forman",
 * "mark  forman" and "Mârk Forman" are one name to a reader, so they are one name here.
 */
export const nameKey = (name: string): string =>
  name.normalize('NFKD').replace(/\p{M}/gu, '').normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim()

/** Refuses a name another (not removed) participant of the meeting already shows. */
export const requireFreeName = (
  participants: readonly Participant[],
  displayName: string,
  self: ParticipantId | null,
): void => {
  const key = nameKey(displayName)
  if (participants.some((p) => !p.removed && p.id !== self && nameKey(p.displayName) === key)) {
    const message = 'Someone in this meeting already uses that name: add a surname or an initial.'
    throw new AppError('RT_ERR_CONFLICT', message, [{ path: 'displayName', message }])
  }
}
