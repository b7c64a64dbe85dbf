import { Type, type Static } from '@sinclair/typebox';

/**
 * The manifest that describes one detection model: where its weights come from, how a frame becomes its input
 * tensor, how to read its output, and what its labels mean to the rules. A city drops in its own trained model
 * by writing one of these next to the .onnx file; no code changes.
 */

const Sha256 = Type.String({
  pattern: '^[0-9a-f]{64}$',
  description: 'SHA-256 of the model file, 64 lower-case hex digits; the loader refuses a file that differs.',
});

function channelTriple(description: string) {
  return Type.Tuple([Type.Number(), Type.Number(), Type.Number()], {
    description: `${description} One value per channel, in the order the model takes its channels.`,
  });
}

export const ModelInputSchema = Type.Object(
  {
    name: Type.String({
      minLength: 1,
      description: 'Name of the input tensor in the ONNX graph, e.g. "images".',
    }),
    shape: Type.Tuple(
      [
        Type.Integer({
          minimum: -1,
          description:
            'Batch dimension: a fixed size (normally 1), or -1 when the graph accepts any batch size.',
        }),
        Type.Literal(3, { description: 'Channels: always 3 (colour).' }),
        Type.Integer({ minimum: 32, description: 'Input height in pixels.' }),
        Type.Integer({ minimum: 32, description: 'Input width in pixels.' }),
      ],
      { description: 'NCHW shape of the input tensor: [batch, 3, height, width].' },
    ),
    maxBatch: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 64,
        description:
          'Most frames or crops run together in one inference when the batch dimension is -1 (default 8). ' +
          'Ignored for a fixed batch dimension.',
      }),
    ),
    colourOrder: Type.Union([Type.Literal('rgb'), Type.Literal('bgr')], {
      description: 'Channel order the model was trained on: "bgr" for OpenCV-trained exports such as YOLOX.',
    }),
    scaling: Type.Object(
      {
        multiplier: Type.Number({
          exclusiveMinimum: 0,
          description:
            'Each 0-255 pixel value is first multiplied by this: 1 for YOLOX, 1/255 for YOLOv5/v8.',
        }),
        mean: Type.Optional(channelTriple('Subtracted after the multiplier (default 0, 0, 0).')),
        std: Type.Optional(channelTriple('Divided by after subtracting the mean (default 1, 1, 1).')),
      },
      { additionalProperties: false, description: 'value = (pixel * multiplier - mean[c]) / std[c].' },
    ),
    letterbox: Type.Object(
      {
        mode: Type.Union([Type.Literal('top-left'), Type.Literal('centre'), Type.Literal('stretch')], {
          description:
            'How the frame is fitted into the input: "top-left" keeps the aspect ratio and pads right and bottom ' +
            '(YOLOX), "centre" keeps it and pads evenly on both sides (YOLOv5/v8), "stretch" resizes without padding.',
        }),
        padValue: Type.Integer({
          minimum: 0,
          maximum: 255,
          description: 'Pixel value (0-255, before scaling) of the padding: 114 for the YOLO family.',
        }),
      },
      { additionalProperties: false, description: 'Resizing and padding of the frame to the input size.' },
    ),
  },
  { additionalProperties: false, description: 'The input tensor and how a frame is turned into it.' },
);

export const ModelOutputSchema = Type.Object(
  {
    name: Type.String({
      minLength: 1,
      description: 'Name of the output tensor in the ONNX graph, e.g. "output".',
    }),
    format: Type.Union([Type.Literal('yolox'), Type.Literal('yolov5'), Type.Literal('yolov8')], {
      description:
        'Layout of the output. "yolox": [batch, anchors, 5 + classes] of raw grid offsets that still need the ' +
        'stride decoding; "yolov5": [batch, anchors, 5 + classes] with cx, cy, w, h already in input pixels, then ' +
        'objectness and class scores; "yolov8": [batch, 4 + classes, anchors] with cx, cy, w, h in input pixels ' +
        'and class scores, no objectness (YOLOv8, YOLO11).',
    }),
    strides: Type.Optional(
      Type.Array(Type.Integer({ minimum: 1 }), {
        minItems: 1,
        description:
          'Feature-map strides of the grid, in anchor order; only for "yolox" (default 8, 16, 32).',
      }),
    ),
    scoresActivated: Type.Boolean({
      description:
        'True when objectness and class scores are already probabilities (0..1); false when they are logits ' +
        'and need a sigmoid.',
    }),
  },
  { additionalProperties: false, description: 'The output tensor and how to decode it into boxes.' },
);

export const ModelDefaultsSchema = Type.Object(
  {
    scoreThreshold: Type.Number({
      minimum: 0,
      maximum: 1,
      description: 'Detections scoring below this are dropped before suppression (default 0.25).',
    }),
    iouThreshold: Type.Number({
      minimum: 0,
      maximum: 1,
      description: 'Two boxes of one label overlapping more than this (IoU) are one object (default 0.45).',
    }),
    maxDetections: Type.Integer({
      minimum: 1,
      description: 'At most this many detections per frame, the highest scores kept (default 300).',
    }),
  },
  { additionalProperties: false, description: 'Decoding defaults for this model.' },
);

export const ModelRolesSchema = Type.Object(
  {
    person: Type.Array(Type.String(), { description: 'Labels that are people.' }),
    vehicle: Type.Array(Type.String(), { description: 'Labels that are vehicles: cars, trucks, bikes.' }),
    goods: Type.Array(Type.String(), {
      description:
        'Labels that signal a stall or a shop spilling out: umbrellas, tables, chairs, carts, racks.',
    }),
    carried: Type.Array(Type.String(), { description: 'Labels of things people carry: bags, suitcases.' }),
    dumping: Type.Array(Type.String(), {
      description:
        'Labels of things that, left alone in a watched spot, may be dumped waste: furniture, appliances.',
    }),
  },
  {
    additionalProperties: false,
    description:
      'What each label means to the rules. A label may appear under one role at most; others are "other".',
  },
);

export const ModelManifestSchema = Type.Object(
  {
    name: Type.String({
      pattern: '^[a-z0-9][a-z0-9._-]*$',
      description:
        'Registry name of the model, as given to --model; the manifest file is <name>.manifest.json.',
    }),
    description: Type.String({ description: 'What the model is and what it was trained on.' }),
    file: Type.String({ minLength: 1, description: 'Path of the .onnx file, relative to the manifest.' }),
    sha256: Sha256,
    url: Type.String({
      pattern: '^https://',
      description: 'Public address the model file can be downloaded from.',
    }),
    licence: Type.String({ minLength: 1, description: 'Licence of the weights, as an SPDX identifier.' }),
    input: ModelInputSchema,
    output: ModelOutputSchema,
    labels: Type.Array(Type.String({ minLength: 1 }), {
      minItems: 1,
      description: 'Class labels in the order of the output class scores.',
    }),
    roles: ModelRolesSchema,
    defaults: Type.Optional(ModelDefaultsSchema),
  },
  { additionalProperties: false, description: 'A detection model and everything needed to run it.' },
);

export type ModelManifestJson = Static<typeof ModelManifestSchema>;
