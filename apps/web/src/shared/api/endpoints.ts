import type { CreateMeetingBody, InvitationPreview, Meeting, Participant } from '@roundtable/protocol'
import { request } from './http.ts'

export interface SessionInfo {
  participant: Participant | null
  organiser: boolean
}

/** Every HTTP call the web app makes, in one place (the stores take this as a dependency). */
export const api = {
  session: () => request<SessionInfo>('GET', '/api/session'),
  logout: () => request<{ ok: true }>('POST', '/api/session/logout', {}),
  previewInvitation: (token: string) =>
    request<InvitationPreview>('GET', `/api/invitations/${encodeURIComponent(token)}`),
  join: (token: string, displayName: string) =>
    request<{ participant: Participant }>('POST', `/api/invitations/${encodeURIComponent(token)}/join`, {
      displayName,
    }),
  claimOrganiser: (token: string) => request<{ ok: true }>('POST', '/api/organiser/claim', { token }),
  listMeetings: () => request<Meeting[]>('GET', '/api/meetings'),
  createMeeting: (body: CreateMeetingBody) =>
    request<{ meeting: Meeting; chairLink: string }>('POST', '/api/meetings', body),
}
export type Api = typeof api

export const auditCsvUrl = (meetingId: string) =>
  `/api/meetings/${encodeURIComponent(meetingId)}/audit?format=csv`
