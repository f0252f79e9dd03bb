import { type AmendmentView, can } from '@roundtable/protocol'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useMeeting } from '../../app/meeting-runtime.tsx'
import { useCommand } from '../../app/use-command.ts'
import { delegationName } from '../access/access-slice.ts'
import { amendmentFlag, isOpen, trackedParts } from './amendments.ts'
import type { DraftItems } from './drafting-slice.ts'
import type { Anchored } from './use-anchored.ts'

/** Old wording struck, new wording inserted: the tracked change, readable without colour. */
export const TrackedChange = ({
  amendment,
}: {
  amendment: Pick<AmendmentView, 'type' | 'oldText' | 'newText'>
}) => {
  const { t } = useTranslation()
  const { struck, inserted } = trackedParts(amendment)
  return (
    <p className="tracked">
      {struck ? (
        <del>
          <span className="visually-hidden">{t('drafting.amendments.struck')} </span>
          {struck}
        </del>
      ) : null}
      {struck && inserted ? ' ' : null}
      {inserted ? (
        <ins>
          <span className="visually-hidden">{t('drafting.amendments.inserted')} </span>
          {inserted}
        </ins>
      ) : null}
    </p>
  )
}

const ChairDecision = ({
  amendment,
  flagged,
  onOpenVotes,
}: {
  amendment: AmendmentView
  flagged: boolean
  onOpenVotes: () => void
}) => {
  const { t } = useTranslation()
  const send = useCommand()
  const [method, setMethod] = useState<'motion' | 'consent'>('motion')
  const id = `am-method-${amendment.id}`
  if (amendment.status === 'voting')
    return (
      <div className="row">
        <button type="button" onClick={onOpenVotes}>
          {t('drafting.amendments.openVote')}
        </button>
      </div>
    )
  return (
    <div className="row chair-decision">
      {!flagged ? (
        <>
          <div className="field">
            <label htmlFor={id}>{t('drafting.amendments.method')}</label>
            <select
              id={id}
              value={method}
              onChange={(e) => setMethod(e.target.value as 'motion' | 'consent')}
            >
              <option value="motion">{t('drafting.amendments.motion')}</option>
              <option value="consent">{t('drafting.amendments.consent')}</option>
            </select>
          </div>
          <button
            type="button"
            className="primary"
            onClick={() =>
              void send(
                'amendment:putToVote',
                { amendmentId: amendment.id, method, secret: false, voters: 'delegations' },
                { key: 'drafting.sent.putToVote' },
              )
            }
          >
            {t('drafting.amendments.putToVote')}
          </button>
        </>
      ) : null}
      <button type="button" onClick={() => void send('amendment:adopt', { amendmentId: amendment.id })}>
        {t('drafting.amendments.adopt')}
      </button>
      <button
        type="button"
        className="danger"
        onClick={() => void send('amendment:reject', { amendmentId: amendment.id })}
      >
        {t('drafting.amendments.reject')}
      </button>
    </div>
  )
}

export const Amendments = ({
  items,
  anchored,
  onShow,
  onOpenVotes,
}: {
  items: DraftItems
  anchored: Anchored
  onShow: (id: string) => void
  onOpenVotes: () => void
}) => {
  const { t } = useTranslation()
  const me = useMeeting((s) => s.me)
  const delegations = useMeeting((s) => s.delegations)
  const chair = me ? can(me.role, 'runDrafting') : false
  const [showDecided, setShowDecided] = useState(false)
  const open = items.amendments.filter(isOpen)
  const shown = showDecided ? items.amendments : open
  return (
    <section className="draft-side-section" aria-labelledby="amendments-title">
      <h3 id="amendments-title">
        {t('drafting.amendments.title')} <span className="count">({open.length})</span>
      </h3>
      <label className="check">
        <input type="checkbox" checked={showDecided} onChange={(e) => setShowDecided(e.target.checked)} />{' '}
        {t('drafting.amendments.showDecided', { count: items.amendments.length - open.length })}
      </label>
      {shown.length === 0 ? (
        <p className="hint">{t('drafting.amendments.none')}</p>
      ) : (
        <ul className="amendments">
          {shown.map((a) => {
            const here = anchored.get(a.id)
            const flag = amendmentFlag(a, here?.resolved ?? null, here?.text ?? null)
            const who = delegationName(delegations, a.delegationId)
            const headingId = `amendment-${a.id}`
            return (
              <li key={a.id} className={`amendment status-${a.status}`} aria-labelledby={headingId}>
                <p id={headingId} className="thread-head">
                  <strong>{t(`drafting.amendmentType.${a.type}`)}</strong>
                  {' · '}
                  {who ? `${who} (${a.proposerName})` : a.proposerName}
                  <span className="draft-badge">{t(`drafting.amendmentStatus.${a.status}`)}</span>
                  {a.decidedBy === 'consensus' ? (
                    <span className="hint"> {t('drafting.amendments.byConsensus')}</span>
                  ) : null}
                </p>
                <TrackedChange amendment={a} />
                {a.reason ? (
                  <p className="reason">
                    <span className="hint">{t('drafting.amendments.reason')} </span>
                    {a.reason}
                  </p>
                ) : null}
                {flag !== 'ok' ? (
                  <p className="flag" role="note">
                    <span aria-hidden="true">⚠ </span>
                    {t(
                      flag === 'changed' ? 'drafting.amendments.changed' : 'drafting.amendments.passageGone',
                    )}
                  </p>
                ) : null}
                <div className="row">
                  {here && !here.resolved.detached && isOpen(a) ? (
                    <button type="button" onClick={() => onShow(a.id)}>
                      {t('drafting.showInText')}
                    </button>
                  ) : null}
                  {a.status === 'voting' && !chair ? (
                    <button type="button" onClick={onOpenVotes}>
                      {t('drafting.amendments.openVote')}
                    </button>
                  ) : null}
                </div>
                {chair && isOpen(a) ? (
                  <ChairDecision amendment={a} flagged={flag !== 'ok'} onOpenVotes={onOpenVotes} />
                ) : null}
              </li>
            )
          })}
        </ul>
      )}
    </section>
  )
}
