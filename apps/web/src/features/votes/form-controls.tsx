import type { ReactNode } from 'react'
import { Field } from '../../shared/ui/Field.tsx'

// The vote forms' controls: each wires a label (or legend), a hint and a value the caller keeps.

/** A group of radio buttons with a legend (choose one, consent level, yes/no/abstain, a form's either/or). */
export const Radios = <V extends string | number | boolean>({
  name,
  legend,
  choices,
  value,
  onChange,
}: {
  name: string
  legend: string
  choices: readonly { value: V; label: string; hint?: string }[]
  value: V | null
  onChange: (v: V) => void
}) => (
  <fieldset className="choices">
    <legend>{legend}</legend>
    {choices.map((c) => (
      <label key={String(c.value)} className="choice">
        <input type="radio" name={name} checked={value === c.value} onChange={() => onChange(c.value)} />
        <span>
          {c.label}
          {c.hint ? <span className="hint"> — {c.hint}</span> : null}
        </span>
      </label>
    ))}
  </fieldset>
)

/** A select over fixed values, each shown by its translated name. */
export const SelectField = <V extends string>({
  id,
  label,
  hint,
  wrap,
  value,
  options,
  nameOf,
  onChange,
}: {
  id: string
  label: string
  hint?: ReactNode
  wrap?: boolean
  value: V
  options: readonly V[]
  nameOf: (value: V) => string
  onChange: (value: V) => void
}) => (
  <Field wrap={wrap} id={id} label={label} hint={hint}>
    {(c) => (
      <select {...c} value={value} onChange={(e) => onChange(e.target.value as V)}>
        {options.map((o) => (
          <option key={o} value={o}>
            {nameOf(o)}
          </option>
        ))}
      </select>
    )}
  </Field>
)

/**
 * A number in the form's row, kept as typed (`buildCreate` checks it): a whole number from `min`
 * unless `decimal`, which takes any fraction (minutes of a timer).
 */
export const NumberField = ({
  id,
  label,
  hint,
  min = 1,
  max,
  decimal = false,
  value,
  onChange,
}: {
  id: string
  label: string
  hint?: ReactNode
  min?: number
  max?: number
  decimal?: boolean
  value: string
  onChange: (value: string) => void
}) => (
  <Field wrap id={id} label={label} hint={hint}>
    {(c) => (
      <input
        {...c}
        type="number"
        inputMode={decimal ? 'decimal' : 'numeric'}
        min={min}
        max={max}
        step={decimal ? 'any' : undefined}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    )}
  </Field>
)
