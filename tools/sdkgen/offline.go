package main

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
)

// The .NET generator downloads a logo over HTTP for the NuGet package icon
// (pkg.LogoURL, or Pulumi's logo when the schema names none). The build
// machines reach no such host, and a download would make the output depend on
// the network anyway. sdkgen therefore answers every HTTP request the
// generators make with envstack's own logo, drawn here, and lets nothing out.
func init() {
	http.DefaultTransport = offlineTransport{}
}

type offlineTransport struct{}

func (offlineTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method != http.MethodGet {
		return nil, fmt.Errorf("sdkgen: a generator tried %s %s; generation runs offline", req.Method, req.URL)
	}
	body := logoPNG()
	return &http.Response{
		Status:        "200 OK",
		StatusCode:    http.StatusOK,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        http.Header{"Content-Type": []string{"image/png"}},
		Body:          io.NopCloser(bytes.NewReader(body)),
		ContentLength: int64(len(body)),
		Request:       req,
	}, nil
}

// logoPNG draws a 64x64 icon of three stacked bars, one per environment
// (dev, staging, prod). PNG encoding of a fixed image is deterministic, so
// the generated logo.png never drifts.
func logoPNG() []byte {
	const size = 64
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	bars := []struct {
		top int
		c   color.NRGBA
	}{
		{8, color.NRGBA{0x4c, 0xaf, 0x50, 0xff}},
		{26, color.NRGBA{0xff, 0xb3, 0x00, 0xff}},
		{44, color.NRGBA{0xe5, 0x39, 0x35, 0xff}},
	}
	for _, bar := range bars {
		for y := bar.top; y < bar.top+12; y++ {
			for x := 6; x < size-6; x++ {
				img.SetNRGBA(x, y, bar.c)
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(err) // encoding an in-memory image cannot fail
	}
	return buf.Bytes()
}
