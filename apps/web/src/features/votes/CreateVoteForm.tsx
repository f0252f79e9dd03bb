import { type VoteMethod, VOTE_METHODS } from '@roundtable/protocol'
import { useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useMeeting } from '../../app/meeting-runtime.tsx'
import { useCommand } from '../../app/use-command.ts'
import type { ClientError } from '../../shared/api/http.ts'
import { Field } from '../../shared/ui/Field.tsx'
import { ballotKindOf } from './ballot.ts'
import { buildCreate, type CreateDraft, initialCreateDraft } from './create.ts'
import { NumberField, Radios, SelectField } from './form-controls.tsx'

const METHODS = Object.keys(VOTE_METHODS) as VoteMethod[]
const THRESHOLDS = ['simple', 'absolute', 'two_thirds'] as const satisfies readonly CreateDraft['threshold'][]

/** The chair's form for a new vote on the current agenda item (created as a draft, opened after). */
export const CreateVoteForm = () => {
  const { t } = useTranslation()
  const command = useCommand()
  const delegations = useMeeting((s) => s.delegations)
  const current = useMeeting((s) => s.agenda.find((i) => i.id === s.currentItemId) ?? null)
  const [d, setD] = useState<CreateDraft>(initialCreateDraft)
  const details = useRef<HTMLDetailsElement>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const [refusal, setRefusal] = useState<ClientError | null>(null)
  const update = (patch: Partial<CreateDraft>) => {
    setD((x) => ({ ...x, ...patch }))
    setProblem(null)
    setRefusal(null)
  }
  const kind = ballotKindOf(d.method)
  const submit = async () => {
    const built = buildCreate(d)
    if (built.error) {
      setProblem(t(`votes.createProblem.${built.error}`))
      return
    }
    const r = await command('vote:create', built.data, { key: 'votes.create.created' })
    if (r.error) setRefusal(r.error)
    else {
      setD(initialCreateDraft)
      // Folded away: the new draft's card, with its Open button, is what the chair needs next.
      if (details.current) details.current.open = false
    }
  }
  return (
    <details ref={details} className="create-vote">
      <summary>{t('votes.create.title')}</summary>
      <form
        className="form"
        aria-label={t('votes.create.title')}
        onSubmit={(e) => {
          e.preventDefault()
          void submit()
        }}
      >
        <p className="hint">
          {current ? t('votes.create.onItem', { title: current.title }) : t('votes.create.noItem')}
        </p>
        <Field id="vote-question" label={t('votes.create.question')}>
          {(c) => (
            <input
              {...c}
              type="text"
              required
              maxLength={200}
              value={d.question}
              onChange={(e) => update({ question: e.target.value })}
            />
          )}
        </Field>
        <Radios
          legend={t('votes.create.options')}
          name="vote-source"
          value={d.source}
          choices={[
            { value: 'free', label: t('votes.create.free') },
            { value: 'board', label: t('votes.create.board') },
          ]}
          onChange={(source) => update({ source })}
        />
        {d.source === 'free' ? (
          <Field
            id="vote-options"
            label={t('votes.create.optionLines')}
            hint={t('votes.create.optionLinesHint')}
          >
            {(c) => (
              <textarea
                {...c}
                rows={5}
                value={d.optionsText}
                onChange={(e) => update({ optionsText: e.target.value })}
              />
            )}
          </Field>
        ) : (
          <p className="hint">{t('votes.create.boardHint')}</p>
        )}
        <SelectField
          id="vote-method"
          label={t('votes.create.method')}
          hint={t(`votes.methods.${d.method}.explain`)}
          value={d.method}
          options={METHODS}
          nameOf={(m) => t(`votes.methods.${m}.name`)}
          onChange={(method) => update({ method })}
        />
        <div className="row">
          {d.method === 'stv' ? (
            <NumberField
              id="vote-seats"
              label={t('votes.create.seats')}
              value={d.seats}
              onChange={(seats) => update({ seats })}
            />
          ) : null}
          {kind === 'score' ? (
            <NumberField
              id="vote-max"
              label={t('votes.create.max')}
              max={1000}
              value={d.max}
              onChange={(max) => update({ max })}
            />
          ) : null}
          {kind === 'budget' ? (
            <NumberField
              id="vote-points"
              label={t('votes.create.points')}
              max={1000}
              value={d.points}
              onChange={(points) => update({ points })}
            />
          ) : null}
          {d.method === 'motion' ? (
            <SelectField
              wrap
              id="vote-threshold"
              label={t('votes.create.threshold')}
              value={d.threshold}
              options={THRESHOLDS}
              nameOf={(th) => t(`votes.threshold.${th}`)}
              onChange={(threshold) => update({ threshold })}
            />
          ) : null}
          <NumberField
            id="vote-quorum"
            label={t('votes.create.quorum')}
            hint={t('votes.create.quorumHint')}
            value={d.quorum}
            onChange={(quorum) => update({ quorum })}
          />
          <NumberField
            id="vote-timer"
            label={t('votes.create.timer')}
            hint={t('votes.create.timerHint')}
            min={0}
            decimal
            value={d.timerMinutes}
            onChange={(timerMinutes) => update({ timerMinutes })}
          />
        </div>
        <Radios
          legend={t('votes.create.secrecy')}
          name="vote-secret"
          value={d.secret}
          choices={[
            { value: true, label: t('votes.create.secret') },
            { value: false, label: t('votes.create.open') },
          ]}
          onChange={(secret) => update({ secret })}
        />
        <Radios
          legend={t('votes.create.voters')}
          name="vote-voters"
          value={d.voters}
          choices={[
            { value: 'delegates', label: t('votes.create.delegates') },
            { value: 'delegations', label: t('votes.create.delegations') },
          ]}
          onChange={(voters) => update({ voters })}
        />
        {d.voters === 'delegations' && delegations.length > 0 ? (
          <fieldset className="weights">
            <legend>{t('votes.create.weights')}</legend>
            <p className="hint">{t('votes.create.weightsHint')}</p>
            {delegations.map((del) => (
              <div key={del.id} className="weight-row">
                <label htmlFor={`weight-${del.id}`}>{del.name}</label>
                <input
                  id={`weight-${del.id}`}
                  type="number"
                  inputMode="numeric"
                  min={1}
                  max={1000}
                  placeholder="1"
                  value={d.weights[del.id] ?? ''}
                  onChange={(e) => update({ weights: { ...d.weights, [del.id]: e.target.value } })}
                />
              </div>
            ))}
          </fieldset>
        ) : null}
        <p className="error" role="alert">
          {problem ??
            (refusal
              ? d.source === 'board' && refusal.code === 'RT_ERR_CONFLICT'
                ? `${t('votes.create.boardRefused')} ${refusal.message}`
                : refusal.message
              : null)}
        </p>
        <button type="submit" className="primary">
          {t('votes.create.submit')}
        </button>
      </form>
    </details>
  )
}
