package ocr

// #cgo pkg-config: opencv4
// #cgo CXXFLAGS: -std=c++11
// void ocr_set_num_threads(int n);
import "C"

// SetOpenCVThreads limits the worker threads OpenCV uses for one call (dnn,
// filters) across the whole process. The app holds it at 1 so that three
// cameras share the car's cores predictably instead of each fanning out;
// gocv v0.32 has no binding for cv::setNumThreads, hence this one.
func SetOpenCVThreads(n int) { C.ocr_set_num_threads(C.int(n)) }
