import { useId } from 'react';
import { SelectField, TextField } from '../ui/form';
import { COLOR_PRESETS, isColorCode, usesCropMargin, usesQuality, type OptionsDraft, type OptionsErrors } from './options';

export interface ModelChoice {
  id: string;
  name: string;
  isDefault: boolean;
  available: boolean;
}

/** The options every new image runs with; the model choice appears when the inference service lists more than one. */
export function OptionsForm({
  draft,
  errors,
  onChange,
  models = [],
}: {
  draft: OptionsDraft;
  errors: OptionsErrors;
  onChange: (next: OptionsDraft) => void;
  models?: readonly ModelChoice[];
}) {
  const usable = models.filter((m) => m.available);
  const defaultModel = models.find((m) => m.isDefault);
  const set = <K extends keyof OptionsDraft>(key: K, value: OptionsDraft[K]) => onChange({ ...draft, [key]: value });
  const colorId = useId();
  const cleanId = useId();
  const pickerValue = /^#[0-9a-f]{6}$/i.test(draft.bgColor) ? draft.bgColor : '#ffffff';
  // The swatches show colours only: the chosen one is also named in words (a preset's name, else the code if valid).
  const code = draft.bgColor.toLowerCase();
  const chosenBackground =
    COLOR_PRESETS.find((preset) => preset.value === code)?.label ?? (!errors.bgColor && isColorCode(code) ? code : undefined);
  return (
    <fieldset className="card">
      <legend className="visually-hidden">Options</legend>
      <div className="options-grid">
        <SelectField
          label="Size"
          value={draft.size}
          onChange={(v) => set('size', v)}
          options={[
            { value: 'FULL', label: 'Full size' },
            { value: 'PREVIEW', label: 'Preview (0.25 MP)' },
            { value: 'CUSTOM', label: 'At most … megapixels' },
          ]}
        />
        {draft.size === 'CUSTOM' && (
          <TextField
            type="text"
            label="Megapixels"
            inputMode="decimal"
            value={draft.megapixels}
            onChange={(e) => set('megapixels', e.target.value)}
            error={errors.megapixels}
          />
        )}
        <SelectField
          label="Format"
          value={draft.format}
          onChange={(v) => set('format', v)}
          error={errors.format}
          options={[
            { value: 'PNG', label: 'PNG (transparent)' },
            { value: 'WEBP', label: 'WebP (transparent, smaller)' },
            { value: 'JPG', label: 'JPG (needs a background colour)' },
          ]}
        />
        <SelectField
          label="Result"
          value={draft.type}
          onChange={(v) => set('type', v)}
          options={[
            { value: 'CUTOUT', label: 'Cut-out' },
            { value: 'MASK', label: 'Mask (black and white)' },
          ]}
        />
        {usable.length > 1 && (
          <SelectField
            label="Model"
            value={draft.model}
            onChange={(v) => set('model', v)}
            error={errors.model}
            options={[
              { value: '', label: defaultModel ? `Default (${defaultModel.name})` : 'Default' },
              ...usable.filter((m) => !m.isDefault).map((m) => ({ value: m.id, label: m.name })),
            ]}
          />
        )}
        {usesQuality(draft) && (
          <TextField
            type="text"
            label="Quality (1–100)"
            inputMode="numeric"
            value={draft.quality}
            onChange={(e) => set('quality', e.target.value)}
            error={errors.quality}
            hint="Empty: the default."
          />
        )}
      </div>
      {/* Below the choices: the background and the switches side by side (stacked on a phone). */}
      <div className="options-more">
        <div className="field">
          <span className="label-text">
            <strong id={colorId}>Background</strong>
            {chosenBackground && <span className="muted"> · {chosenBackground}</span>}
          </span>
          <div className="swatches" role="group" aria-labelledby={colorId}>
            {COLOR_PRESETS.map((preset) => (
              <button
                key={preset.label}
                type="button"
                className={`swatch${preset.value ? '' : ' checkerboard'}`}
                style={preset.value ? { background: preset.value } : undefined}
                aria-pressed={draft.bgColor.toLowerCase() === preset.value}
                aria-label={preset.label}
                title={preset.label}
                onClick={() => set('bgColor', preset.value)}
              />
            ))}
            <input
              type="color"
              className="swatch"
              aria-label="Pick a background colour"
              value={pickerValue}
              onChange={(e) => set('bgColor', e.target.value)}
            />
          </div>
          <TextField
            type="text"
            label="Colour code"
            value={draft.bgColor}
            onChange={(e) => set('bgColor', e.target.value)}
            error={errors.bgColor}
            hint="Empty: transparent. #rgb, #rrggbb or #rrggbbaa."
          />
        </div>
        <div className="field switches">
          <label className="check">
            <input
              type="checkbox"
              checked={draft.crop}
              onChange={(e) => onChange({ ...draft, crop: e.target.checked, cropMargin: e.target.checked ? draft.cropMargin : '' })}
            />
            <span>Crop to the subject</span>
          </label>
          {usesCropMargin(draft) && (
            <TextField
              type="text"
              label="Margin"
              value={draft.cropMargin}
              onChange={(e) => set('cropMargin', e.target.value)}
              error={errors.cropMargin}
              hint='Pixels ("12") or percent ("5%").'
            />
          )}
          <label className="check">
            <input type="checkbox" checked={draft.refine} onChange={(e) => set('refine', e.target.checked)} />
            <span>Refine edges (hair, fur)</span>
          </label>
          {draft.type === 'CUTOUT' && (
            <>
              <label className="check">
                <input
                  type="checkbox"
                  checked={draft.decontaminate}
                  onChange={(e) => set('decontaminate', e.target.checked)}
                  aria-describedby={`${cleanId}-hint`}
                />
                <span>Clean edge colours</span>
              </label>
              <span className="hint" id={`${cleanId}-hint`}>
                Removes the old background’s tint from hair and soft edges.
              </span>
            </>
          )}
          <label className="check">
            <input type="checkbox" role="switch" checked={draft.high} onChange={(e) => set('high', e.target.checked)} />
            <span>High quality (2× credits)</span>
          </label>
        </div>
      </div>
    </fieldset>
  );
}
