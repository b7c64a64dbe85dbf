/**
 * Writes a tiny ONNX model for tests that need a graph the default model is not: one Reshape node that turns an
 * NCHW input [N, 3, side, side] into [N, 6, side * side / 2], which reads as the YOLOv8 / YOLO11 layout
 * [batch, 4 + 2 classes, anchors] with a dynamic batch axis. Whatever is packed into the input comes out as
 * boxes and scores, so tests can both craft exact detections and run real images through batching.
 * The protobuf is encoded by hand: the few fields used are stable parts of onnx.proto.
 */

function varint(n: number | bigint): Buffer {
  let v = BigInt(n);
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return Buffer.from(out);
}

const field = (no: number, wire: number) => varint((no << 3) | wire);
const int = (no: number, v: number | bigint) => Buffer.concat([field(no, 0), varint(v)]);
const bytes = (no: number, v: Buffer | string) => {
  const b = typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
  return Buffer.concat([field(no, 2), varint(b.length), b]);
};
const msg = (no: number, ...parts: Buffer[]) => bytes(no, Buffer.concat(parts));

const FLOAT = 1;
const INT64 = 7;

function tensorType(no: number, name: string, dims: (number | string)[]): Buffer {
  const shape = dims.map((d) => msg(1, typeof d === 'string' ? bytes(2, d) : int(1, d)));
  return msg(no, bytes(1, name), msg(2, msg(1, int(1, FLOAT), msg(2, ...shape))));
}

export function tinyYolov8Onnx(side = 32): Buffer {
  const anchors = (side * side) / 2;
  const shapeData = Buffer.alloc(24);
  [0n, 6n, BigInt(anchors)].forEach((v, i) => shapeData.writeBigInt64LE(v, i * 8));
  const shapeInit = msg(5, int(1, 3), int(2, INT64), bytes(8, 'shape'), bytes(9, shapeData));
  const node = msg(
    1,
    bytes(1, 'images'),
    bytes(1, 'shape'),
    bytes(2, 'output0'),
    bytes(3, 'reshape'),
    bytes(4, 'Reshape'),
  );
  const graph = msg(
    7,
    node,
    bytes(2, 'tiny-yolov8'),
    shapeInit,
    tensorType(11, 'images', ['batch', 3, side, side]),
    tensorType(12, 'output0', ['batch', 6, anchors]),
  );
  return Buffer.concat([
    int(1, 8),
    bytes(2, 'city-enforcement tests'),
    graph,
    msg(8, bytes(1, ''), int(2, 13)),
  ]);
}
