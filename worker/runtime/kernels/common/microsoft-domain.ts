/** The domain of onnxruntime's contrib ops (what its transformer optimizer and quantizer emit). */
export const MICROSOFT_DOMAIN = 'com.microsoft';
