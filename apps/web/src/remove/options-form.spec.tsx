/** @jest-environment jsdom */
import { fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { OptionsForm } from './options-form';
import { defaultOptions, validateOptions, type OptionsDraft } from './options';

function last(drafts: OptionsDraft[]): OptionsDraft {
  const draft = drafts.at(-1);
  if (!draft) throw new Error('the form reported no draft');
  return draft;
}

/** The form with its own state, reporting every draft it is given. */
function Harness({ onDraft }: { onDraft: (draft: OptionsDraft) => void }) {
  const [draft, setDraft] = useState(defaultOptions);
  return (
    <OptionsForm
      draft={draft}
      errors={{}}
      onChange={(next) => {
        setDraft(next);
        onDraft(next);
      }}
    />
  );
}

describe('OptionsForm: high quality and clean edge colours', () => {
  it('has a "High quality (2× credits)" switch, off by default, that turns mode HIGH on and off', () => {
    const drafts: OptionsDraft[] = [];
    render(<Harness onDraft={(d) => drafts.push(d)} />);
    const high = screen.getByRole('switch', { name: 'High quality (2× credits)' });
    expect((high as HTMLInputElement).checked).toBe(false);
    fireEvent.click(high);
    expect((high as HTMLInputElement).checked).toBe(true);
    expect(validateOptions(last(drafts)).input).toMatchObject({ mode: 'HIGH' });
    fireEvent.click(high);
    expect(validateOptions(last(drafts)).input).not.toHaveProperty('mode');
  });

  it('shows "Clean edge colours" for cut-outs, on by default with its explanation, and hides it for a mask', () => {
    const drafts: OptionsDraft[] = [];
    render(<Harness onDraft={(d) => drafts.push(d)} />);
    const clean = screen.getByRole('checkbox', { name: 'Clean edge colours' });
    expect((clean as HTMLInputElement).checked).toBe(true);
    expect(clean.getAttribute('aria-describedby')).toBeTruthy();
    expect(document.getElementById(clean.getAttribute('aria-describedby') ?? '')?.textContent).toMatch(/background’s tint/);
    fireEvent.click(clean);
    expect(validateOptions(last(drafts)).input).toMatchObject({ decontaminate: false });

    fireEvent.change(screen.getByLabelText('Result'), { target: { value: 'MASK' } });
    expect(screen.queryByRole('checkbox', { name: 'Clean edge colours' })).toBeNull();
    // Off while hidden is not sent: the API refuses decontaminate false for a mask.
    expect(validateOptions(last(drafts))).toEqual({ errors: {}, input: { format: 'PNG', type: 'MASK', size: 'FULL' } });
    // Back to a cut-out: the choice is kept.
    fireEvent.change(screen.getByLabelText('Result'), { target: { value: 'CUTOUT' } });
    expect((screen.getByRole('checkbox', { name: 'Clean edge colours' }) as HTMLInputElement).checked).toBe(false);
  });
});

describe('OptionsForm: the background', () => {
  it('names the chosen background in words next to its colour swatches: a preset by name, a typed code as the code', () => {
    render(<Harness onDraft={() => undefined} />);
    const heading = () => screen.getByText('Background').parentElement?.textContent;
    expect(heading()).toBe('Background · Transparent');
    fireEvent.click(screen.getByRole('button', { name: 'Black' }));
    expect(heading()).toBe('Background · Black');
    fireEvent.change(screen.getByLabelText('Colour code'), { target: { value: '#12AB34' } });
    expect(heading()).toBe('Background · #12ab34');
    // Not a colour code: nothing is named.
    fireEvent.change(screen.getByLabelText('Colour code'), { target: { value: '#1234567' } });
    expect(heading()).toBe('Background');
    // The swatches' group keeps its plain name.
    expect(screen.getByRole('group', { name: 'Background' })).toBeTruthy();
  });
});

describe('OptionsForm: typed fields', () => {
  /** The form with a draft and errors of the test's choosing (validateOptions' own messages). */
  function Checked({ draft }: { draft: OptionsDraft }) {
    const { errors } = validateOptions(draft);
    return <OptionsForm draft={draft} errors={errors} onChange={() => undefined} />;
  }

  it('keeps a field’s format hint beside its error, both announced with the field', () => {
    render(<Checked draft={{ ...defaultOptions, bgColor: 'teal', crop: true, cropMargin: 'wide' }} />);
    for (const [label, hint] of [
      ['Colour code', /#rgb, #rrggbb or #rrggbbaa/],
      ['Margin', /Pixels \("12"\) or percent/],
    ] as const) {
      const input = screen.getByLabelText(label);
      expect(input.getAttribute('aria-invalid')).toBe('true');
      const described = (input.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent);
      expect(described).toHaveLength(2);
      expect(described[0]).toMatch(hint);
      expect(described[1]).toBeTruthy();
      expect(described[1]).not.toMatch(hint);
    }
  });
});

describe('OptionsForm: every error beside a field the person can see', () => {
  const ERROR_CLASS = 'field-error';

  it('ignores a Quality typed for WebP once the format is back to PNG: no error, nothing sent', () => {
    const drafts: OptionsDraft[] = [];
    render(<Harness onDraft={(d) => drafts.push(d)} />);
    fireEvent.change(screen.getByLabelText('Format'), { target: { value: 'WEBP' } });
    fireEvent.change(screen.getByLabelText('Quality (1–100)'), { target: { value: '80' } });
    expect(validateOptions(last(drafts)).input).toMatchObject({ format: 'WEBP', quality: 80 });

    fireEvent.change(screen.getByLabelText('Format'), { target: { value: 'PNG' } });
    expect(screen.queryByLabelText('Quality (1–100)')).toBeNull();
    expect(validateOptions(last(drafts))).toEqual({ errors: {}, input: { format: 'PNG', type: 'CUTOUT', size: 'FULL' } });

    // Back to WebP: the typed value is still there and sent again.
    fireEvent.change(screen.getByLabelText('Format'), { target: { value: 'WEBP' } });
    expect((screen.getByLabelText('Quality (1–100)') as HTMLInputElement).value).toBe('80');
    expect(validateOptions(last(drafts)).input).toMatchObject({ quality: 80 });
  });

  // Every combination of the choices that show or hide fields, with a bad value in every typed field.
  const drafts: OptionsDraft[] = [];
  for (const format of ['PNG', 'WEBP', 'JPG'] as const)
    for (const type of ['CUTOUT', 'MASK'] as const)
      for (const size of ['FULL', 'PREVIEW', 'CUSTOM'] as const)
        for (const crop of [false, true])
          for (const bgColor of ['', 'teal', '#ffffff80'])
            drafts.push({ ...defaultOptions, format, type, size, crop, bgColor, megapixels: '0', cropMargin: 'wide', quality: '300' });

  const name = (d: OptionsDraft) => `${d.format}, ${d.type}, size ${d.size}, crop ${d.crop}, background "${d.bgColor}"`;
  it.each(drafts.map((draft) => [name(draft), draft] as const))('shows each error next to its field: %s', (_name, draft) => {
    const { errors } = validateOptions(draft);
    const { container } = render(<OptionsForm draft={draft} errors={errors} onChange={() => undefined} />);
    const shown = [...container.getElementsByClassName(ERROR_CLASS)].map((element) => element.textContent);
    expect(shown.sort()).toEqual(Object.values(errors).sort());
    // Each shown error describes a field of the form.
    for (const element of container.getElementsByClassName(ERROR_CLASS))
      expect(container.querySelector(`[aria-describedby~="${element.id}"]`)).not.toBeNull();
  });
});
