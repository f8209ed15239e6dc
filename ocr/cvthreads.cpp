#include <opencv2/core/utility.hpp>

extern "C" void ocr_set_num_threads(int n) { cv::setNumThreads(n); }
