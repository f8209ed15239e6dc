package alpr

import "math"

// earthRadiusKm is the mean radius used for distances between fixes.
const earthRadiusKm = 6371.0

// DistanceBearing is the great-circle distance in km from a to b and the initial bearing in
// degrees true (0 north, 90 east), as an officer is told where a network hit's plate was seen.
func DistanceBearing(a, b Fix) (km, deg float64) {
	la1, lo1 := a.Lat*math.Pi/180, a.Lon*math.Pi/180
	la2, lo2 := b.Lat*math.Pi/180, b.Lon*math.Pi/180
	h := math.Pow(math.Sin((la2-la1)/2), 2) + math.Cos(la1)*math.Cos(la2)*math.Pow(math.Sin((lo2-lo1)/2), 2)
	km = 2 * earthRadiusKm * math.Asin(math.Min(1, math.Sqrt(h)))
	y := math.Sin(lo2-lo1) * math.Cos(la2)
	x := math.Cos(la1)*math.Sin(la2) - math.Sin(la1)*math.Cos(la2)*math.Cos(lo2-lo1)
	deg = math.Mod(math.Atan2(y, x)*180/math.Pi+360, 360)
	return km, deg
}

// Compass names a bearing by the nearest of the eight points: N, NE, E, ...
func Compass(deg float64) string {
	points := [...]string{"N", "NE", "E", "SE", "S", "SW", "W", "NW"}
	return points[int(math.Mod(deg+22.5, 360)/45)%8]
}
