// Expected<T>: a value or the ApiError that stopped the request. C++20 has no std::expected;
// this is the small part of it the request pipeline needs.
#pragma once

#include <utility>
#include <variant>

#include "api_error.hpp"

namespace qapps {

template <class T>
class Expected {
  public:
    Expected(T value) : state_(std::in_place_index<0>, std::move(value)) {}
    Expected(ApiError error) : state_(std::in_place_index<1>, std::move(error)) {}

    bool has_value() const { return state_.index() == 0; }
    explicit operator bool() const { return has_value(); }

    T& value() { return std::get<0>(state_); }
    const T& value() const { return std::get<0>(state_); }
    ApiError& error() { return std::get<1>(state_); }
    const ApiError& error() const { return std::get<1>(state_); }

    T& operator*() { return value(); }
    const T& operator*() const { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

  private:
    std::variant<T, ApiError> state_;
};

}  // namespace qapps
