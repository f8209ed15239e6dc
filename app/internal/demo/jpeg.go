package main

import (
	"bytes"
	"image"
	"image/jpeg"
)

// encode compresses an image as the engine stores it.
func encode(img image.Image) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 85}); err != nil {
		return nil
	}
	return b.Bytes()
}
