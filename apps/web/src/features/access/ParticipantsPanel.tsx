import type { ParticipantView, Role } from '@roundtable/protocol'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useMeeting } from '../../app/meeting-runtime.tsx'
import { useCommand } from '../../app/use-command.ts'
import { delegationName } from './access-slice.ts'
import { ConfirmButton } from '../../shared/ui/ConfirmButton.tsx'
import { Field } from '../../shared/ui/Field.tsx'
import { DelegationSelect, RoleSelect } from './RoleSelects.tsx'

const ParticipantRow = ({ p, self }: { p: ParticipantView; self: boolean }) => {
  const { t } = useTranslation()
  const command = useCommand()
  const delegations = useMeeting((s) => s.delegations)
  const [role, setRole] = useState<Role>(p.role)
  const [delegationId, setDelegationId] = useState(p.delegationId ?? '')
  const changed = role !== p.role || (role === 'delegate' && delegationId !== (p.delegationId ?? ''))
  const delegation = delegationName(delegations, p.delegationId)
  const roleId = `role-${p.id}`
  const delegationSelectId = `delegation-${p.id}`
  return (
    <li className="participant">
      <div>
        <strong>{p.displayName}</strong>
        <span className="hint">
          {t(`roles.${p.role}`)}
          {delegation ? ` · ${delegation}` : ''} · {p.online ? t('presence.online') : t('presence.away')}
          {self ? ` · ${t('presence.you')}` : ''}
        </span>
      </div>
      {self ? null : (
        <div className="participant-actions">
          <Field wrap id={roleId} label={t('participants.roleFor', { name: p.displayName })}>
            {(control) => <RoleSelect {...control} value={role} onChange={setRole} />}
          </Field>
          {role === 'delegate' && delegations.length > 0 ? (
            <Field
              wrap
              id={delegationSelectId}
              label={t('participants.delegationFor', { name: p.displayName })}
            >
              {(control) => <DelegationSelect {...control} value={delegationId} onChange={setDelegationId} />}
            </Field>
          ) : null}
          <ConfirmButton
            label={t('participants.changeRole')}
            danger={false}
            disabled={!changed}
            question={t('participants.confirmRole', { name: p.displayName, role: t(`roles.${role}`) })}
            onConfirm={async () => {
              await command(
                'participant:setRole',
                {
                  participantId: p.id,
                  role,
                  delegationId: role === 'delegate' ? delegationId || null : null,
                },
                {
                  key: 'participants.roleChanged',
                  values: { name: p.displayName, role: t(`roles.${role}`) },
                },
              )
            }}
          />
          <ConfirmButton
            label={t('participants.remove')}
            question={t('participants.confirmRemove', { name: p.displayName })}
            onConfirm={async () => {
              await command(
                'participant:remove',
                { participantId: p.id },
                { key: 'participants.removed', values: { name: p.displayName } },
              )
            }}
          />
        </div>
      )}
    </li>
  )
}

export const ParticipantsPanel = () => {
  const { t } = useTranslation()
  const participants = useMeeting((s) => s.participants)
  const me = useMeeting((s) => s.me)
  return (
    <section className="panel" aria-labelledby="participants-title">
      <h2 id="participants-title">{t('participants.title')}</h2>
      <p className="hint">{t('participants.help')}</p>
      <ul className="participant-list">
        {participants.map((p) => (
          // Keyed by role too: after a change, the row's selects start from the new role.
          <ParticipantRow key={`${p.id}:${p.role}:${p.delegationId}`} p={p} self={p.id === me?.id} />
        ))}
      </ul>
    </section>
  )
}
