/** Words for a file system entry that is not a regular file, with the fix. */
export function describeFileType(entry: {
  isSymbolicLink(): boolean;
  isDirectory(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
  isBlockDevice(): boolean;
  isCharacterDevice(): boolean;
}): string {
  if (entry.isSymbolicLink()) return 'is a symbolic link, which is never followed. Replace it with the file itself';
  if (entry.isDirectory()) return 'is a folder where a file was expected. Remove it or rename it';
  if (entry.isFIFO()) return 'is a named pipe (FIFO), not a file. Remove it';
  if (entry.isSocket()) return 'is a socket, not a file. Remove it';
  if (entry.isBlockDevice() || entry.isCharacterDevice()) return 'is a device, not a file. Remove it';
  return 'is not a regular file. Remove it';
}
