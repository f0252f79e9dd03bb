import { type Invitation, LIMITS, type Role } from '@roundtable/protocol'
import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useMeeting } from '../../app/meeting-runtime.tsx'
import { useCommand } from '../../app/use-command.ts'
import { formatDateTime } from '../../shared/i18n/index.ts'
import { ConfirmButton } from '../../shared/ui/ConfirmButton.tsx'
import { CopyField } from '../../shared/ui/CopyField.tsx'
import { Field } from '../../shared/ui/Field.tsx'
import { LoadState } from '../../shared/ui/LoadState.tsx'
import { delegationName } from './access-slice.ts'
import { DelegationSelect, RoleSelect } from './RoleSelects.tsx'

type Status = 'active' | 'expired' | 'revoked'
const statusOf = (inv: Invitation, now: number): Status =>
  inv.revokedAt ? 'revoked' : inv.expiresAt && Date.parse(inv.expiresAt) <= now ? 'expired' : 'active'

const AddDelegation = () => {
  const { t } = useTranslation()
  const command = useCommand()
  const [name, setName] = useState('')
  return (
    <form
      className="form"
      aria-labelledby="delegation-add"
      onSubmit={async (e) => {
        e.preventDefault()
        const r = await command(
          'delegation:add',
          { name: name.trim() },
          { key: 'invitations.delegationAdded', values: { name: name.trim() } },
        )
        if (!r.error) setName('')
      }}
    >
      <h3 id="delegation-add">{t('invitations.addDelegation')}</h3>
      <Field id="delegation-name" label={t('invitations.delegationName')}>
        {(control) => (
          <div className="copy-row">
            <input
              {...control}
              type="text"
              required
              maxLength={LIMITS.name}
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
            <button type="submit" disabled={!name.trim()}>
              {t('invitations.addDelegationButton')}
            </button>
          </div>
        )}
      </Field>
    </form>
  )
}

export const InvitationsPanel = () => {
  const { t, i18n } = useTranslation()
  const command = useCommand()
  const delegations = useMeeting((s) => s.delegations)
  const [list, setList] = useState<Invitation[] | null>(null)
  const [role, setRole] = useState<Role>('delegate')
  const [delegationId, setDelegationId] = useState('')
  const [label, setLabel] = useState('')
  const [expiry, setExpiry] = useState('')
  const [created, setCreated] = useState<(Invitation & { url: string }) | null>(null)

  const refresh = useCallback(async () => {
    const r = await command('invitation:list', {})
    if (r.data) setList(r.data)
  }, [command])
  useEffect(() => {
    void refresh()
  }, [refresh])

  const needsDelegation = role === 'delegate' && delegations.length > 0
  const create = async (e: React.FormEvent) => {
    e.preventDefault()
    const hours = expiry.trim() ? Math.round(Number(expiry)) : null
    const r = await command(
      'invitation:create',
      {
        role,
        delegationId: role === 'delegate' && delegationId ? delegationId : null,
        label: label.trim(),
        expiresInHours: hours && hours > 0 ? hours : null,
      },
      { key: 'invitations.created' },
    )
    if (r.data) {
      setCreated(r.data)
      setLabel('')
      void refresh()
    }
  }

  const now = Date.now()
  return (
    <section className="panel" aria-labelledby="invitations-title">
      <h2 id="invitations-title">{t('invitations.title')}</h2>
      <div className="two-col">
        <div>
          <form className="card form" aria-labelledby="invitation-create" onSubmit={(e) => void create(e)}>
            <h3 id="invitation-create">{t('invitations.create')}</h3>
            <Field id="invite-role" label={t('invitations.role')}>
              {(control) => <RoleSelect {...control} value={role} onChange={setRole} />}
            </Field>
            {role === 'delegate' ? (
              <Field id="invite-delegation" label={t('invitations.delegation')}>
                {(control) => (
                  <DelegationSelect
                    {...control}
                    value={delegationId}
                    required={needsDelegation}
                    onChange={setDelegationId}
                  />
                )}
              </Field>
            ) : null}
            <Field id="invite-label" label={t('invitations.label')} hint={t('invitations.labelHint')}>
              {(control) => (
                <input
                  {...control}
                  type="text"
                  maxLength={LIMITS.name}
                  value={label}
                  onChange={(e) => setLabel(e.target.value)}
                />
              )}
            </Field>
            <Field id="invite-expiry" label={t('invitations.expiry')} hint={t('invitations.expiryHint')}>
              {(control) => (
                <input
                  {...control}
                  type="number"
                  min={1}
                  max={24 * 365}
                  inputMode="numeric"
                  value={expiry}
                  onChange={(e) => setExpiry(e.target.value)}
                />
              )}
            </Field>
            <button type="submit" className="primary" disabled={needsDelegation && !delegationId}>
              {t('invitations.createButton')}
            </button>
          </form>
          <div aria-live="polite">
            {created ? (
              <div className="success-box">
                <p>
                  {created.delegationId
                    ? t('invitations.createdForDelegation', {
                        role: t(`roles.${created.role}`),
                        delegation: delegationName(delegations, created.delegationId) ?? '',
                      })
                    : t('invitations.createdFor', { role: t(`roles.${created.role}`) })}
                </p>
                <CopyField label={t('invitations.link')} value={created.url} />
                <p className="hint">{t('invitations.linkOnce')}</p>
              </div>
            ) : null}
          </div>
          <div className="card">
            <AddDelegation />
            {delegations.length > 0 ? (
              <p className="hint">
                {t('invitations.delegations')}: {delegations.map((d) => d.name).join(', ')}
              </p>
            ) : null}
          </div>
        </div>
        <div>
          <h3>{t('invitations.listTitle')}</h3>
          <LoadState data={list}>
            {(list) =>
              list.length === 0 ? (
                <p>{t('invitations.none')}</p>
              ) : (
                <ul className="invitation-list">
                  {list.map((inv) => {
                    const status = statusOf(inv, now)
                    const name = inv.label || t(`roles.${inv.role}`)
                    return (
                      <li key={inv.id} className={`invitation status-${status}`}>
                        <div>
                          <strong>{name}</strong>
                          <span className="hint">
                            {t(`roles.${inv.role}`)}
                            {inv.delegationId
                              ? ` · ${delegationName(delegations, inv.delegationId) ?? ''}`
                              : ''}
                            {' · '}
                            {t('invitations.createdAt', {
                              when: formatDateTime(inv.createdAt, i18n.language),
                            })}
                            {inv.expiresAt
                              ? ` · ${t('invitations.expiresAt', { when: formatDateTime(inv.expiresAt, i18n.language) })}`
                              : ''}
                          </span>
                          <span className={`badge badge-${status}`}>{t(`invitations.status.${status}`)}</span>
                        </div>
                        {status === 'active' ? (
                          <ConfirmButton
                            label={t('invitations.revoke')}
                            question={t('invitations.confirmRevoke', { name })}
                            onConfirm={async () => {
                              const r = await command('invitation:revoke', { invitationId: inv.id })
                              if (!r.error) void refresh()
                            }}
                          />
                        ) : null}
                      </li>
                    )
                  })}
                </ul>
              )
            }
          </LoadState>
        </div>
      </div>
    </section>
  )
}
