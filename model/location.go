package model

import "math"

// ValidateLocation checks an optional WGS-84 location: both or neither.
func ValidateLocation(lat, lng *float64) error {
	if (lat == nil) != (lng == nil) {
		return Invalid("lat 与 lng 须同时提供")
	}
	if lat == nil {
		return nil
	}
	if math.IsNaN(*lat) || math.IsNaN(*lng) || *lat < -90 || *lat > 90 || *lng < -180 || *lng > 180 {
		return Invalid("经纬度超出范围")
	}
	return nil
}
