import { fireEvent, render, screen, within } from '@solidjs/testing-library';
import { describe, expect, it, vi } from 'vitest';
import { FileDropZone, type FileDropZoneItem } from './file-drop-zone.tsx';

const png = () => new File([new Uint8Array([137, 80, 78, 71])], 'screen.png', { type: 'image/png' });

describe('FileDropZone', () => {
  it('is a file input named "Attachments" by default', () => {
    render(() => <FileDropZone items={[]} onFiles={vi.fn()} accept=".png" />);
    const input = screen.getByLabelText('Attachments') as HTMLInputElement;
    expect(input.type).toBe('file');
    expect(input.multiple).toBe(true);
    expect(input.accept).toBe('.png');
  });

  it('hands picked files to onFiles', () => {
    const onFiles = vi.fn();
    render(() => <FileDropZone items={[]} onFiles={onFiles} />);
    const file = png();
    fireEvent.change(screen.getByLabelText('Attachments'), { target: { files: [file] } });
    expect(onFiles).toHaveBeenCalledWith([file]);
  });

  it('hands dropped files to onFiles and marks the zone while dragging', () => {
    const onFiles = vi.fn();
    render(() => <FileDropZone items={[]} onFiles={onFiles} />);
    const zone = screen.getByLabelText('Attachments').parentElement as HTMLElement;
    fireEvent.dragEnter(zone);
    expect(zone.dataset.dragging).toBe('');
    const file = png();
    fireEvent.drop(zone, { dataTransfer: { files: [file] } });
    expect(onFiles).toHaveBeenCalledWith([file]);
    expect(zone.dataset.dragging).toBeUndefined();
  });

  it('shows each file with its own progress, and a remove button only before upload', () => {
    const onRemove = vi.fn();
    const items: FileDropZoneItem[] = [
      { id: 'a', name: 'a.png', size: 2048, status: 'uploading', progress: 0.42 },
      { id: 'b', name: 'b.pdf', size: 10, status: 'queued' },
      { id: 'c', name: 'c.txt', size: 10, status: 'error', error: 'This type of file is not allowed' },
    ];
    render(() => <FileDropZone items={items} onFiles={vi.fn()} onRemove={onRemove} />);
    const progress = screen.getByRole('progressbar', { name: 'Upload of a.png' });
    expect(progress.getAttribute('value')).toBe('42');
    expect(screen.getByText('Uploading 42 %')).toBeTruthy();
    expect(screen.getByText('2.0 KB')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Remove a.png' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Remove b.pdf' }));
    expect(onRemove).toHaveBeenCalledWith('b');
    const failed = screen.getByText('c.txt').closest('li') as HTMLElement;
    expect(failed.dataset.status).toBe('error');
    expect(within(failed).getByText(/not allowed/)).toBeTruthy();
  });

  it('describes the input with the field error', () => {
    render(() => <FileDropZone items={[]} onFiles={vi.fn()} error="The file is too large" />);
    const input = screen.getByLabelText('Attachments');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(input.getAttribute('aria-describedby')).toBe(screen.getByText('The file is too large').id);
  });
});
