// The photo of the signed paper form, made small on the phone before it is kept and sent: at most
// 1600 px on the long side, JPEG. A 12-megapixel camera picture (3–5 MB) becomes ~200–400 KB.

export const PHOTO_MAX_SIDE = 1600;
export const PHOTO_QUALITY = 0.72;

export async function compressPhoto(file: Blob, maxSide = PHOTO_MAX_SIDE, quality = PHOTO_QUALITY): Promise<Blob> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    try {
      // Browsers without the option (older Safari) still apply the camera's orientation themselves.
      bitmap = await createImageBitmap(file);
    } catch {
      throw new Error('无法读取该图片，请重新拍摄');
    }
  }
  const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
  const w = Math.max(1, Math.round(bitmap.width * scale));
  const h = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  const g = canvas.getContext('2d');
  if (!g) throw new Error('无法处理图片');
  g.fillStyle = '#fff';
  g.fillRect(0, 0, w, h);
  g.drawImage(bitmap, 0, 0, w, h);
  bitmap.close();
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality));
  if (!blob) throw new Error('无法压缩图片');
  return blob;
}

export const formatKb = (bytes: number) => `${Math.max(1, Math.round(bytes / 1024))} KB`;
